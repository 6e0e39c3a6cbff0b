using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Panel.Contracts;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Targeting;

/// <summary>How the people who answer are found.</summary>
public enum TargetGroupMode
{
    /// <summary>Membership draws a sample of panel members by the criteria and invites them by email.</summary>
    Panel,
    /// <summary>Nobody is invited: anyone with the survey's public link answers, without membership.</summary>
    OpenLink,
}

/// <summary>
/// Who is asked, stored with the survey (jsonb) and carried in SurveyApproved and SurveyOpened. For
/// <see cref="TargetGroupMode.OpenLink"/> the criteria are empty and there is no sample, quota or reminder.
/// </summary>
public sealed record TargetGroup(
    TargetGroupMode Mode,
    TargetCriteria Criteria,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SampleSize,
    IReadOnlyList<TargetQuota> Quotas,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReminderSettings? Reminders);

/// <summary>Criteria over the coarse profile; an empty list (or null <see cref="IsClient"/>) means anyone.</summary>
public sealed record TargetCriteria(
    IReadOnlyList<string> AgeBands,
    IReadOnlyList<string> Municipalities,
    IReadOnlyList<string> Genders,
    IReadOnlyList<string> Languages,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IsClient,
    IReadOnlyList<string> CampaignCodes)
{
    public static readonly TargetCriteria Anyone = new([], [], [], [], null, []);
}

/// <summary>At least <see cref="MinShare"/> of the sample have <see cref="Attribute"/> in <see cref="Values"/>.</summary>
public sealed record TargetQuota(string Attribute, IReadOnlyList<string> Values, decimal MinShare);

/// <summary>Remind after <see cref="AfterDays"/> days without an answer, at most <see cref="Max"/> times (0: never).</summary>
public sealed record ReminderSettings(int AfterDays, int Max);

/// <summary>The body of PUT /api/surveys/{id}/target-group, read loosely so every bad field is named.</summary>
public sealed record TargetGroupInput(
    string? Mode,
    CriteriaInput? Criteria,
    int? SampleSize,
    IReadOnlyList<QuotaInput?>? Quotas,
    RemindersInput? Reminders);

public sealed record CriteriaInput(
    IReadOnlyList<string?>? AgeBands,
    IReadOnlyList<string?>? Municipalities,
    IReadOnlyList<string?>? Genders,
    IReadOnlyList<string?>? Languages,
    bool? IsClient,
    IReadOnlyList<string?>? CampaignCodes);

public sealed record QuotaInput(string? Attribute, IReadOnlyList<string?>? Values, decimal? MinShare);

public sealed record RemindersInput(int? AfterDays, int? Max);

/// <summary>The values the criteria take (the coarse profile of DESIGN.md section 5, rule 3).</summary>
public static class ProfileValues
{
    public static readonly IReadOnlyList<string> AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];
    public static readonly IReadOnlyList<string> Genders = ["woman", "man", "other", "unspecified"];
    public static readonly IReadOnlyList<string> Languages = SurveyLanguages.All;
    public static readonly IReadOnlyList<string> QuotaAttributes = ["ageBand", "municipality", "gender", "language", "isClient"];
    public const int MaxMunicipalityLength = 100;
}

public static partial class TargetGroupValidator
{
    public const int MaxSampleSize = 50_000;
    public const int MaxListLength = 200;
    public const int MaxQuotas = 10;
    public const int MaxReminderDays = 60;
    public const int MaxReminders = 5;

    /// <summary>Campaign codes as Membership writes them: 2–40 of A-Z, digits and '-'.</summary>
    [GeneratedRegex("^[A-Z0-9-]{2,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CampaignCode();

    /// <summary>The valid target group, or null with every problem named by its JSON path.</summary>
    public static TargetGroup? Validate(TargetGroupInput input, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var e = errors;
        void Error(string field, string message) => e[field] = e.TryGetValue(field, out var m) ? [.. m, message] : [message];

        TargetGroupMode? mode = input.Mode switch
        {
            "panel" => TargetGroupMode.Panel,
            "open-link" => TargetGroupMode.OpenLink,
            _ => null,
        };
        if (mode is null)
        {
            Error("mode", "The mode is \"panel\" or \"open-link\".");
        }

        if (mode == TargetGroupMode.OpenLink)
        {
            if (input.Criteria is { } c && (Any(c.AgeBands) || Any(c.Municipalities) || Any(c.Genders) || Any(c.Languages) || c.IsClient is not null || Any(c.CampaignCodes)))
            {
                Error("criteria", "An open link is answered by anyone: it has no criteria.");
            }

            if (input.SampleSize is not null)
            {
                Error("sampleSize", "An open link has no sample.");
            }

            if (Any(input.Quotas))
            {
                Error("quotas", "An open link has no quotas.");
            }

            if (input.Reminders is not null)
            {
                Error("reminders", "An open link sends no invitations, so no reminders.");
            }

            return errors.Count > 0 ? null : new TargetGroup(TargetGroupMode.OpenLink, TargetCriteria.Anyone, null, [], null);
        }

        var criteria = input.Criteria;
        var ageBands = Values(criteria?.AgeBands, "criteria.ageBands", v => ProfileValues.AgeBands.Contains(v),
            $"Age bands are {string.Join(", ", ProfileValues.AgeBands)}.", Error);
        var municipalities = Values(criteria?.Municipalities, "criteria.municipalities",
            v => v.Trim().Length is > 0 and <= ProfileValues.MaxMunicipalityLength && v == v.Trim(),
            $"A municipality is its name, 1 to {ProfileValues.MaxMunicipalityLength} characters without surrounding spaces.", Error);
        var genders = Values(criteria?.Genders, "criteria.genders", v => ProfileValues.Genders.Contains(v),
            $"Genders are {string.Join(", ", ProfileValues.Genders)}.", Error);
        var languages = Values(criteria?.Languages, "criteria.languages", v => ProfileValues.Languages.Contains(v),
            "Languages are fi, sv and en.", Error);
        var campaigns = Values(criteria?.CampaignCodes?.Select(c => c?.Trim().ToUpperInvariant()).ToList(), "criteria.campaignCodes",
            v => CampaignCode().IsMatch(v), "A campaign code is 2 to 40 characters: letters A-Z, digits and '-'.", Error);

        if (input.SampleSize is < 1 or > MaxSampleSize)
        {
            Error("sampleSize", $"The sample size is 1 to {MaxSampleSize} (leave it out to invite everyone who matches).");
        }

        var allowed = new Dictionary<string, IReadOnlyList<string>?>
        {
            ["ageBand"] = ageBands is { Count: > 0 } ? ageBands : ProfileValues.AgeBands,
            ["municipality"] = municipalities is { Count: > 0 } ? municipalities : null,
            ["gender"] = genders is { Count: > 0 } ? genders : ProfileValues.Genders,
            ["language"] = languages is { Count: > 0 } ? languages : ProfileValues.Languages,
            ["isClient"] = criteria?.IsClient is { } client ? [client ? "true" : "false"] : ["true", "false"],
        };
        var quotas = new List<TargetQuota>();
        var inputQuotas = input.Quotas ?? [];
        if (inputQuotas.Count > MaxQuotas)
        {
            Error("quotas", $"At most {MaxQuotas} quotas.");
        }

        for (var i = 0; i < inputQuotas.Count && i < MaxQuotas; i++)
        {
            var field = $"quotas[{i}]";
            if (inputQuotas[i] is not { } q)
            {
                Error(field, "A quota is {attribute, values, minShare}.");
                continue;
            }

            var ok = true;
            if (q.Attribute is null || !allowed.TryGetValue(q.Attribute, out var attributeValues))
            {
                Error($"{field}.attribute", $"The attribute is one of {string.Join(", ", ProfileValues.QuotaAttributes)}.");
                attributeValues = null;
                ok = false;
            }

            var values = q.Values?.Where(v => v is not null).Select(v => v!).ToList() ?? [];
            if (values.Count == 0 || values.Count != q.Values!.Count || values.Distinct().Count() != values.Count)
            {
                Error($"{field}.values", "The values are a list of distinct values of the attribute.");
                ok = false;
            }
            else if (ok && attributeValues is not null && values.FirstOrDefault(v => !attributeValues.Contains(v)) is { } stray)
            {
                Error($"{field}.values", $"'{stray}' is not a value of {q.Attribute} within the criteria.");
                ok = false;
            }
            else if (ok && q.Attribute == "municipality" && values.Any(v => v.Trim().Length is 0 or > ProfileValues.MaxMunicipalityLength))
            {
                Error($"{field}.values", "A municipality is its name.");
                ok = false;
            }

            if (q.MinShare is not { } share || share <= 0 || share > 1)
            {
                Error($"{field}.minShare", "The minimum share is more than 0 and at most 1 (0.3 = 30 %).");
                ok = false;
            }

            if (ok)
            {
                quotas.Add(new TargetQuota(q.Attribute!, values, q.MinShare!.Value));
            }
        }

        foreach (var byAttribute in quotas.GroupBy(q => q.Attribute))
        {
            var list = byAttribute.ToList();
            if (list.SelectMany(q => q.Values).Distinct().Count() != list.Sum(q => q.Values.Count))
            {
                Error("quotas", $"Quotas on {byAttribute.Key} overlap: each value may be in one quota only.");
            }
            else if (list.Sum(q => q.MinShare) > 1)
            {
                Error("quotas", $"The quotas on {byAttribute.Key} ask for more than the whole sample together.");
            }
        }

        if (input.Reminders is not { } reminders)
        {
            Error("reminders", "Say when to remind those who have not answered: {afterDays, max} (max 0: never).");
        }
        else
        {
            if (reminders.AfterDays is not (>= 1 and <= MaxReminderDays))
            {
                Error("reminders.afterDays", $"Remind 1 to {MaxReminderDays} days after the invitation.");
            }

            if (reminders.Max is not (>= 0 and <= MaxReminders))
            {
                Error("reminders.max", $"At most {MaxReminders} reminders (0: none).");
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new TargetGroup(
            TargetGroupMode.Panel,
            new TargetCriteria(ageBands!, municipalities!, genders!, languages!, criteria?.IsClient, campaigns!),
            input.SampleSize,
            quotas,
            new ReminderSettings(input.Reminders!.AfterDays!.Value, input.Reminders.Max!.Value));
    }

    private static bool Any<T>(IReadOnlyList<T>? list) => list is { Count: > 0 };

    private static List<string>? Values(
        IReadOnlyList<string?>? input, string field, Func<string, bool> valid, string message, Action<string, string> error)
    {
        if (input is null)
        {
            return [];
        }

        if (input.Count > MaxListLength)
        {
            error(field, $"At most {MaxListLength} values.");
            return null;
        }

        for (var i = 0; i < input.Count; i++)
        {
            if (input[i] is not { } v || !valid(v))
            {
                error($"{field}[{i}]", message);
                return null;
            }
        }

        var values = input.Select(v => v!).ToList();
        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            error(field, "A value is listed twice.");
            return null;
        }

        return values;
    }

    /// <summary>The target group as SurveyApproved and SurveyOpened carry it.</summary>
    public static SurveyTargetGroupSnapshot Snapshot(TargetGroup group) => new(
        group.Criteria.AgeBands,
        group.Criteria.Municipalities,
        group.Criteria.Genders,
        group.Criteria.Languages,
        group.Criteria.IsClient,
        group.Criteria.CampaignCodes,
        group.SampleSize,
        [.. group.Quotas.Select(q => new SurveyQuotaSnapshot(q.Attribute, q.Values, q.MinShare))],
        group.Mode == TargetGroupMode.OpenLink ? "open-link" : "panel",
        group.Reminders is { } r ? new SurveyRemindersSnapshot(r.AfterDays, r.Max) : null);
}
