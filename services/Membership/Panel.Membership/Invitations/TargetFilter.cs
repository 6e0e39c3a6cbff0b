using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;
using Panel.Membership.Members;

namespace Panel.Membership.Invitations;

/// <summary>Criteria over the coarse profile, as Surveys' target groups hold them; an empty list (or null IsClient) means anyone.</summary>
public sealed record TargetFilter(
    IReadOnlyList<string> AgeBands,
    IReadOnlyList<string> Municipalities,
    IReadOnlyList<string> Genders,
    IReadOnlyList<string> Languages,
    bool? IsClient,
    IReadOnlyList<string> CampaignCodes)
{
    public static TargetFilter From(SurveyTargetGroupSnapshot g) =>
        new(g.AgeBands ?? [], g.Municipalities ?? [], g.Genders ?? [], g.Languages ?? [], g.IsClient, g.CampaignCodes ?? []);

    /// <summary>No criteria: every invitable member.</summary>
    public static readonly TargetFilter Anyone = new([], [], [], [], null, []);

    /// <summary>Whether the members of a cell meet the criteria: the same test as <see cref="InvitableMembers.Where"/>.</summary>
    public bool Matches(MemberCell c) =>
        (AgeBands.Count == 0 || AgeBands.Contains(c.AgeBand))
        && (Municipalities.Count == 0 || Municipalities.Contains(c.Municipality))
        && (Genders.Count == 0 || Genders.Contains(c.Gender))
        && (Languages.Count == 0 || Languages.Contains(c.Language))
        && (IsClient is null || c.IsClient == IsClient)
        && (CampaignCodes.Count == 0 || (c.CampaignCode is { } code && CampaignCodes.Contains(code)));
}

/// <summary>A quota as validated: at least <see cref="MinimumShare"/> of the sample have <see cref="Attribute"/> in <see cref="Values"/>.</summary>
public sealed record TargetQuota(string Attribute, IReadOnlyList<string> Values, decimal MinimumShare);

/// <summary>
/// Which members may be invited, as SQL over <c>members m</c>: Active (verified) or with a pause that has ended,
/// the current consent accepted, and the target group's criteria. Withdrawn and erased members never match
/// (erased ones have no row). Age bands are matched on the band the member's events report
/// (<see cref="Member.ReportedAgeBand"/>), the same band the invitation's profile snapshot then carries.
/// </summary>
public static class InvitableMembers
{
    public const string Where = """
        (m.status = 'Active' OR (m.status = 'Paused' AND m.paused_until < @today))
        AND m.consent_version = @consent
        AND (cardinality(@age_bands) = 0 OR m.reported_age_band = ANY(@age_bands))
        AND (cardinality(@municipalities) = 0 OR m.municipality = ANY(@municipalities))
        AND (cardinality(@genders) = 0 OR coalesce(m.gender, 'unspecified') = ANY(@genders))
        AND (cardinality(@languages) = 0 OR m.language = ANY(@languages))
        AND (@is_client IS NULL OR m.is_client = @is_client)
        AND (cardinality(@campaigns) = 0 OR m.campaign_code = ANY(@campaigns))
        """;

    public static NpgsqlParameter[] Parameters(TargetFilter f, DateOnly today, string consentVersion) =>
    [
        new("today", NpgsqlDbType.Date) { Value = today },
        new("consent", NpgsqlDbType.Varchar) { Value = consentVersion },
        Array("age_bands", f.AgeBands),
        Array("municipalities", f.Municipalities),
        Array("genders", f.Genders),
        Array("languages", f.Languages),
        new("is_client", NpgsqlDbType.Boolean) { Value = f.IsClient is { } b ? b : DBNull.Value },
        Array("campaigns", f.CampaignCodes),
    ];

    private static NpgsqlParameter Array(string name, IReadOnlyList<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}

/// <summary>The body of POST /api/membership/targeting/matches: the criteria of Surveys' target group, read loosely so every bad field is named.</summary>
public sealed record MatchesRequest(
    IReadOnlyList<string?>? AgeBands,
    IReadOnlyList<string?>? Municipalities,
    IReadOnlyList<string?>? Genders,
    IReadOnlyList<string?>? Languages,
    bool? IsClient,
    IReadOnlyList<string?>? CampaignCodes,
    IReadOnlyList<MatchesQuota?>? Quotas);

public sealed record MatchesQuota(string? Attribute, IReadOnlyList<string?>? Values, decimal? MinShare);

public static partial class TargetValidation
{
    public static readonly IReadOnlyList<string> Genders = ["woman", "man", "other", "unspecified"];
    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];
    public static readonly IReadOnlyList<string> QuotaAttributes = ["ageBand", "municipality", "gender", "language", "isClient"];
    private const int MaxListLength = 200;
    private const int MaxQuotas = 10;

    [GeneratedRegex("^[A-Z0-9-]{2,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CampaignCode();

    /// <summary>The valid criteria, or null with every problem named by its JSON path.</summary>
    public static TargetFilter? Validate(MatchesRequest r, MembershipOptions options, out Dictionary<string, string[]> errors)
    {
        var e = errors = [];
        void Error(string field, string message) => e[field] = e.TryGetValue(field, out var m) ? [.. m, message] : [message];

        var ageBands = Values(r.AgeBands, "ageBands", AgeBands.All.Contains, $"Age bands are {string.Join(", ", AgeBands.All)}.", Error);
        var municipalities = Values(r.Municipalities, "municipalities", v => options.Municipalities.Contains(v, StringComparer.Ordinal),
            "Not one of the county's municipalities.", Error);
        var genders = Values(r.Genders, "genders", Genders.Contains, $"Genders are {string.Join(", ", Genders)}.", Error);
        var languages = Values(r.Languages, "languages", Languages.Contains, "Languages are fi, sv and en.", Error);
        var campaigns = Values(r.CampaignCodes?.Select(c => c?.Trim().ToUpperInvariant()).ToList(), "campaignCodes", CampaignCode().IsMatch,
            "A campaign code is 2 to 40 characters: letters A-Z, digits and '-'.", Error);

        var quotas = r.Quotas ?? [];
        if (quotas.Count > MaxQuotas)
        {
            Error("quotas", $"At most {MaxQuotas} quotas.");
        }

        for (var i = 0; i < Math.Min(quotas.Count, MaxQuotas); i++)
        {
            var field = $"quotas[{i}]";
            if (quotas[i] is not { } q)
            {
                Error(field, "A quota is {attribute, values, minShare}.");
                continue;
            }

            if (q.Attribute is null || !QuotaAttributes.Contains(q.Attribute))
            {
                Error($"{field}.attribute", $"The attribute is one of {string.Join(", ", QuotaAttributes)}.");
            }
            else if (q.Values is not { Count: > 0 } || q.Values.Any(v => v is null) || q.Values.Distinct().Count() != q.Values.Count)
            {
                Error($"{field}.values", "The values are a list of distinct values of the attribute.");
            }
            else if (q.Values.FirstOrDefault(v => !IsValue(q.Attribute, v!, options)) is { } stray)
            {
                Error($"{field}.values", $"'{stray}' is not a value of {q.Attribute}.");
            }

            if (q.MinShare is not { } share || share <= 0 || share > 1)
            {
                Error($"{field}.minShare", "The minimum share is more than 0 and at most 1 (0.3 = 30 %).");
            }
        }

        return errors.Count > 0 ? null : new TargetFilter(ageBands!, municipalities!, genders!, languages!, r.IsClient, campaigns!);
    }

    private static bool IsValue(string attribute, string value, MembershipOptions options) => attribute switch
    {
        "ageBand" => AgeBands.All.Contains(value),
        "municipality" => options.Municipalities.Contains(value, StringComparer.Ordinal),
        "gender" => Genders.Contains(value),
        "language" => Languages.Contains(value),
        _ => value is "true" or "false",
    };

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
}
