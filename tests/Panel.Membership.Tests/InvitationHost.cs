using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MimeKit;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Membership with a fixed sampling seed and the reminder job off (tests run it by hand on a fake clock).</summary>
public sealed class InvitationHost : MembershipHost
{
    public const string Area = "elderly-services";
    public const int Seed = 2026;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Invitations:SampleSeed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Invitations:RemindersEnabled"] = "false";
        settings["Email:Concurrency"] = "2";
    }
}

/// <summary>Members written straight into the database in a chosen state, and survey events as Surveys publishes them.</summary>
public static partial class Panelists
{
    /// <summary>A campaign code of one test, so the tests sharing a database never count each other's members.</summary>
    public static string NewCampaign() => "T-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    public static async Task<Guid> AddAsync(
        this MembershipHost host, string campaign, string status = "Active", string ageBand = "35-44", string municipality = "Tampere",
        string? gender = "woman", string language = "fi", bool? isClient = true, string consent = "1", DateOnly? pausedUntil = null, string? email = null)
    {
        var id = Guid.NewGuid();
        var birthYear = DateTime.UtcNow.Year - (ageBand == "85+" ? 90 : int.Parse(ageBand[..2], System.Globalization.CultureInfo.InvariantCulture) + 2);
        await host.ExecuteAsync("""
            INSERT INTO members (id, email, birth_year, reported_age_band, municipality, gender, language, is_client, contact_channel,
                status, joined_at, verified_at, paused_until, paused_at, consent_version, consent_accepted_at, campaign_code)
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, 'email', @p8, now(), @p9, @p10, @p11, @p12, now(), @p13)
            """,
            id, email ?? Residents.NewEmail(), birthYear, ageBand, municipality, (object?)gender ?? DBNull.Value, language,
            (object?)isClient ?? DBNull.Value, status, status == "Pending" ? DBNull.Value : DateTimeOffset.UtcNow,
            pausedUntil is { } d ? d : DBNull.Value, pausedUntil is null ? DBNull.Value : DateTimeOffset.UtcNow, consent, campaign);
        return id;
    }

    public static async Task<List<Guid>> AddManyAsync(this MembershipHost host, int count, string campaign, string ageBand = "35-44", string language = "fi")
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await host.AddAsync(campaign, ageBand: ageBand, language: language));
        }

        return ids;
    }

    public static SurveyTargetGroupSnapshot Group(
        string campaign, int? sampleSize = null, IReadOnlyList<SurveyQuotaSnapshot>? quotas = null, int afterDays = 3, int maxReminders = 2) =>
        new([], [], [], [], null, [campaign], sampleSize, quotas ?? [], "panel", new SurveyRemindersSnapshot(afterDays, maxReminders));

    public static SurveyOpened Opened(Guid surveyId, SurveyTargetGroupSnapshot group, DateTimeOffset? closesAt = null, IReadOnlyList<string>? languages = null) => new(
        surveyId, 1, "questionnaire", InvitationHost.Area, languages ?? ["fi", "sv", "en"],
        new Dictionary<string, string> { ["fi"] = "Kotihoidon kysely", ["sv"] = "Enkät om hemvård", ["en"] = "Home care survey" },
        new Dictionary<string, string> { ["fi"] = "Kehitämme kotihoitoa.", ["sv"] = "Vi utvecklar hemvården.", ["en"] = "We improve home care." },
        group, closesAt ?? DateTimeOffset.UtcNow.AddDays(30), DateTimeOffset.UtcNow);

    public static async Task PublishAsync<T>(this MembershipHost host, T message, Guid? messageId = null) where T : class
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(message, ctx => ctx.MessageId = messageId ?? Guid.NewGuid());
    }

    /// <summary>
    /// Publishes the opening and waits until the survey's invitations are stored; then, unless told not to, acknowledges
    /// every issued chunk as Surveys does (<see cref="AcknowledgeAsync"/>), so the emails go out.
    /// </summary>
    public static async Task<long> OpenAsync(this MembershipHost host, SurveyOpened opened, Guid? messageId = null, bool acknowledge = true)
    {
        await host.PublishAsync(opened, messageId);
        await host.IssuedAsync(opened.SurveyId);
        if (acknowledge)
        {
            await host.AcknowledgeAsync(opened.SurveyId);
        }

        return await host.InvitedCountAsync(opened.SurveyId);
    }

    /// <summary>Waits until the survey's opening has been applied (its invitations issued, if any).</summary>
    public static Task IssuedAsync(this MembershipHost host, Guid surveyId) =>
        Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitation_surveys WHERE id = @p0 AND opened_at IS NOT NULL", surveyId),
            n => n == 1, TimeSpan.FromSeconds(30), "the survey's invitations to be issued");

    /// <summary>The token hashes of each SurveyInvitationsIssued chunk Membership wrote for the survey, oldest first.</summary>
    public static async Task<List<List<string>>> IssuedChunksAsync(this MembershipHost host, Guid surveyId)
    {
        var bodies = await host.Database.ScalarAsync<string>(
            "SELECT coalesce(json_agg(body ORDER BY created_at, id)::text, '[]') FROM outbox_messages WHERE message_type = @p0 AND body->>'surveyId' = @p1",
            typeof(SurveyInvitationsIssued).FullName!, surveyId.ToString());
        return System.Text.Json.JsonDocument.Parse(bodies).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("invitations").EnumerateArray().Select(i => i.GetProperty("tokenHash").GetString()!).ToList())
            .ToList();
    }

    /// <summary>
    /// Waits until the email sender has caught up: no email waits to be sent (held ones aside). Whatever it was going to
    /// send is then in the SMTP server's mailbox (the server stores a message before accepting it, and the sender records
    /// it sent after that), so a test can check what was not sent.
    /// </summary>
    public static async Task EmailsSentAsync(this MembershipHost host)
    {
        // Sign-in link requests become emails in the background: those asked for first.
        await host.SignInLinksHandledAsync();
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND NOT held"),
            n => n == 0, TimeSpan.FromSeconds(60), "the emails waiting to be sent");
    }

    /// <summary>Waits until every invitation of the survey has been acknowledged and its email sent (or given up on).</summary>
    public static Task InvitationsSentAsync(this MembershipHost host, Guid surveyId) =>
        Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>(
                "SELECT count(*) FROM invitations WHERE survey_id = @p0 AND (acknowledged_at IS NULL OR (sent_at IS NULL AND failed_at IS NULL))", surveyId),
            n => n == 0, TimeSpan.FromSeconds(60), "the survey's invitations to be sent");

    /// <summary>What Surveys does for each chunk it stores: SurveyInvitationsStored naming the chunk's hashes.</summary>
    public static async Task AcknowledgeAsync(this MembershipHost host, Guid surveyId)
    {
        foreach (var chunk in await host.IssuedChunksAsync(surveyId))
        {
            await host.PublishAsync(new SurveyInvitationsStored(surveyId, chunk));
        }
    }

    /// <summary>
    /// A survey's exact invitation counts, read from the database, for tests of the inviting and sending mechanics (the
    /// progress endpoint shows these through the disclosure-control engine: see DisclosureControlTests).
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> ExactProgressAsync(this MembershipHost host, Guid surveyId) =>
        System.Text.Json.JsonDocument.Parse(await host.Database.ScalarAsync<string>("""
            SELECT json_build_object('issued', count(*), 'waiting', count(*) FILTER (WHERE acknowledged_at IS NULL),
                'sent', count(sent_at), 'failed', count(failed_at), 'opened', count(*) FILTER (WHERE opened),
                'answered', count(*) FILTER (WHERE answered))::text
            FROM invitations WHERE survey_id = @p0
            """, surveyId)).RootElement;

    public static Task<long> InvitedCountAsync(this MembershipHost host, Guid surveyId) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0", surveyId);

    public static async Task<HashSet<Guid>> InvitedAsync(this MembershipHost host, Guid surveyId)
    {
        var list = await host.Database.ScalarAsync<string>(
            "SELECT coalesce(string_agg(member_id::text, ','), '') FROM invitations WHERE survey_id = @p0", surveyId);
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToHashSet();
    }

    public static Task<string> EmailOfAsync(this MembershipHost host, Guid memberId) =>
        host.Database.ScalarAsync<string>("SELECT email FROM members WHERE id = @p0", memberId);

    /// <summary>The token of an invitation email's /answer?t= link.</summary>
    public static string AnswerToken(MimeMessage message)
    {
        var match = AnswerLink().Match(message.TextBody ?? "");
        Assert.True(match.Success, "the email holds an /answer?t= link");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [System.Text.RegularExpressions.GeneratedRegex(@"http://panel\.test/answer\?t=([A-Za-z0-9_\-%]+)")]
    private static partial System.Text.RegularExpressions.Regex AnswerLink();

    /// <summary>A staff token as the gateway mints it, with <c>area</c> claims for a DomainContact.</summary>
    public static HttpClient Staff(this MembershipHost host, string role, params string[] areas)
    {
        var identity = new ClaimsIdentity();
        identity.AddClaim(new Claim(PanelClaims.Subject, "staff-" + Guid.NewGuid().ToString("N")[..12]));
        identity.AddClaim(new Claim(PanelClaims.ActorKind, PanelClaims.ActorStaff));
        identity.AddClaim(new Claim(PanelClaims.Role, role));
        foreach (var area in areas)
        {
            identity.AddClaim(new Claim(PanelClaims.ServiceArea, area));
        }

        var key = ECDsa.Create();
        key.ImportFromPem(TestTokens.PrivateKeyPem);
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GatewayTokenOptions.Issuer,
            Audience = GatewayTokenOptions.AudienceFor(ServiceNames.Membership),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Subject = identity,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { CryptoProviderFactory = new CryptoProviderFactory() }, SecurityAlgorithms.EcdsaSha256),
        });
        return host.Client(token);
    }

    public static Task<HttpResponseMessage> MatchesAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("/api/membership/targeting/matches", body);
}
