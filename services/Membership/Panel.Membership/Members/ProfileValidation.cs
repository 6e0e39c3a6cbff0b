namespace Panel.Membership.Members;

/// <summary>The rules of a member's profile, shared by joining and by "my panel".</summary>
public static class ProfileValidation
{
    public static void Validate(
        Dictionary<string, string[]> errors,
        string? phone,
        int? birthYear,
        string? municipality,
        string? gender,
        string? language,
        string? contactChannel,
        MembershipOptions o,
        int currentYear)
    {
        if (phone is { Length: > 0 } && (phone.Length > 32 || !phone.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')')))
        {
            errors["phone"] = ["Phone may contain only digits, spaces and + - ( )."];
        }

        if (birthYear is not { } year)
        {
            errors["birthYear"] = ["Birth year is required."];
        }
        else if (year > currentYear - o.MinimumAge)
        {
            errors["birthYear"] = [$"Members must be at least {o.MinimumAge} years old."];
        }
        else if (year < currentYear - 120)
        {
            errors["birthYear"] = ["Birth year is not plausible."];
        }

        if (string.IsNullOrWhiteSpace(municipality))
        {
            errors["municipality"] = ["Municipality is required."];
        }
        else if (!o.Municipalities.Contains(municipality, StringComparer.Ordinal))
        {
            errors["municipality"] = ["Municipality is not one of the county's municipalities."];
        }

        if (gender is not null && !JoinEndpoints.Genders.Contains(gender))
        {
            errors["gender"] = [$"Gender must be one of: {string.Join(", ", JoinEndpoints.Genders)}."];
        }

        if (string.IsNullOrWhiteSpace(language))
        {
            errors["language"] = ["Language is required."];
        }
        else if (!JoinEndpoints.Languages.Contains(language))
        {
            errors["language"] = ["Language must be fi, sv or en."];
        }

        if (string.IsNullOrWhiteSpace(contactChannel))
        {
            errors["contactChannel"] = ["Contact channel is required."];
        }
        else if (!ContactChannels.All.Contains(contactChannel))
        {
            errors["contactChannel"] = ["Contact channel must be email or sms."];
        }
        else if (contactChannel == ContactChannels.Sms && string.IsNullOrWhiteSpace(phone) && !errors.ContainsKey("phone"))
        {
            errors["phone"] = ["Contact by SMS needs a phone number."];
        }
    }
}
