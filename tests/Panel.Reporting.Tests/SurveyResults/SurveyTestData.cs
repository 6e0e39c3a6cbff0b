using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>Surveys with every question type, answer sets and staff tokens (with area claims) for the results tests.</summary>
public static class SurveyTestData
{
    public const string Area = "elderly-care";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Dictionary<string, string> T(string fi) => new() { ["fi"] = fi, ["en"] = fi + " (en)" };

    private static SurveyChoiceSnapshot C(string id, int? cap = null) => new(id, T(id), cap);

    private static SurveyQuestionSnapshot Q(string id, string type, IReadOnlyList<SurveyChoiceSnapshot>? options = null,
        IReadOnlyList<SurveyChoiceSnapshot>? rows = null, IReadOnlyList<SurveyChoiceSnapshot>? scale = null,
        int? rankCount = null, int? vouchers = null, decimal? min = null, decimal? max = null) =>
        new(id, type, T("Question " + id), false, null, options ?? [], rows ?? [], scale ?? [], null, null, rankCount, vouchers, min, max, null, null,
            type == "free-text" ? 500 : null);

    public static readonly IReadOnlyList<SurveyQuestionSnapshot> Questions =
    [
        Q("single", "single-choice", options: [C("a"), C("b"), C("c")]),
        Q("multi", "multiple-choice", options: [C("x"), C("y"), C("z")]),
        Q("likert", "likert", scale: Enumerable.Range(1, 5).Select(i => C(i.ToString())).ToList(), min: 1, max: 5),
        Q("nps", "nps", scale: [C("0"), C("10")], min: 0, max: 10),
        Q("number", "number", min: 0, max: 100),
        Q("text", "free-text"),
        Q("rank", "ranking", options: [C("r1"), C("r2"), C("r3")], rankCount: 2),
        Q("matrix", "matrix", rows: [C("m1"), C("m2")], scale: [C("s1"), C("s2"), C("s3")]),
        Q("budget", "budget", options: [C("p1"), C("p2"), C("p3")], vouchers: 10),
    ];

    public static SurveyDefinitionSnapshot Definition(int k = 5, string area = Area, string title = "Survey") =>
        new("questionnaire", area, k, ["fi", "en"], T(title), T("Purpose"), T("Use"), [new SurveyPageSnapshot("p1", null, null, Questions)]);

    public static SurveyApproved Approved(Guid id, int k = 5, string area = Area, int version = 1, string title = "Survey") =>
        new(id, version, Definition(k, area, title), null, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(10), DateTimeOffset.UtcNow.AddDays(-11));

    public static ProfileSnapshot Profile(string municipality = "Akaa", string ageBand = "35-44", string? gender = "woman", string language = "fi", bool? isClient = true) =>
        new(ageBand, municipality, gender, language, isClient);

    /// <summary>An answer set; each part is left out when null.</summary>
    public static ResponseSubmitted Response(Guid surveyId, ProfileSnapshot? profile, string channel = "invitation",
        string? single = null, string[]? multi = null, int? likert = null, int? nps = null, decimal? number = null, string? text = null,
        string[]? rank = null, Dictionary<string, string>? matrix = null, Dictionary<string, int>? budget = null)
    {
        var answers = new List<AnswerSnapshot>();
        if (single is not null) answers.Add(new AnswerSnapshot("single", "single-choice", [single], null, null, null, null));
        if (multi is not null) answers.Add(new AnswerSnapshot("multi", "multiple-choice", multi, null, null, null, null));
        if (likert is not null) answers.Add(new AnswerSnapshot("likert", "likert", null, likert, null, null, null));
        if (nps is not null) answers.Add(new AnswerSnapshot("nps", "nps", null, nps, null, null, null));
        if (number is not null) answers.Add(new AnswerSnapshot("number", "number", null, number, null, null, null));
        if (text is not null) answers.Add(new AnswerSnapshot("text", "free-text", null, null, text, null, null));
        if (rank is not null) answers.Add(new AnswerSnapshot("rank", "ranking", rank, null, null, null, null));
        if (matrix is not null) answers.Add(new AnswerSnapshot("matrix", "matrix", null, null, null, matrix, null));
        if (budget is not null) answers.Add(new AnswerSnapshot("budget", "budget", null, null, null, null, budget));
        return new ResponseSubmitted(surveyId, 1, DateOnly.FromDateTime(DateTime.UtcNow), channel, profile, answers);
    }

    public static async Task PublishAsync<T>(this ServiceHost<Program> host, T message, Guid? messageId = null) where T : class
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(message, ctx => ctx.MessageId = messageId ?? Guid.NewGuid());
    }

    public static Task<long> AnswerSetsAsync(this ServiceHost<Program> host, Guid surveyId) =>
        host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(respondents), 0)::bigint FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = 'channel' AND question_id = '#'", surveyId);

    public static Task<long> SurveyStageAsync(this ServiceHost<Program> host, Guid surveyId) =>
        host.Database.ScalarAsync<long>("SELECT coalesce(max(stage), 0)::bigint FROM results_surveys WHERE survey_id = @p0", surveyId);

    /// <summary>
    /// Publishes the approval and the answer sets, as Surveys' mixer sends them (ResponsesSubmitted, up to 100 a
    /// message), and waits until all are counted.
    /// </summary>
    /// <param name="final">Also tell that these are all of the survey's answers (SurveyAnswersFinalized), as after its close.</param>
    public static async Task SeedAsync(this ServiceHost<Program> host, Guid surveyId, IReadOnlyList<ResponseSubmitted> responses, int k = 5, string area = Area, bool final = true)
    {
        await host.PublishAsync(Approved(surveyId, k, area));
        foreach (var chunk in responses.Chunk(ResponsesSubmitted.MaxResponses)) await host.PublishAsync(new ResponsesSubmitted(surveyId, chunk));
        await Eventually.UntilAsync(() => host.SurveyStageAsync(surveyId), s => s >= 1, Wait, "the survey");
        await Eventually.UntilAsync(() => host.AnswerSetsAsync(surveyId), n => n == responses.Count, Wait, $"{responses.Count} answer sets");
        if (final)
        {
            await host.FinalAsync(surveyId, responses.Count);
        }
    }

    /// <summary>Tells Reporting, as Surveys' mixer does after the closing release, that the survey's answers are all in.</summary>
    public static async Task FinalAsync(this ServiceHost<Program> host, Guid surveyId, int responses)
    {
        await host.PublishAsync(new SurveyAnswersFinalized(surveyId, responses, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT coalesce(final_responses, -1)::bigint FROM results_surveys WHERE survey_id = @p0", surveyId),
            n => n == responses, Wait, "the answers final");
    }

    public static HttpClient As(this ServiceHost<Program> host, Staff staff) => host.Client(staff.Token());

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static JsonElement Audience(this JsonElement results, string audience = "panel") =>
        results.GetProperty("audiences").EnumerateArray().Single(a => a.GetProperty("audience").GetString() == audience);

    public static JsonElement Question(this JsonElement audience, string id) =>
        audience.GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("questionId").GetString() == id);

    public static long? Long(this JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : e.GetProperty(property).GetInt64();

    public static double? Double(this JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : e.GetProperty(property).GetDouble();

    public static JsonElement Item(this JsonElement array, string id) =>
        array.EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);

    public static long? CountOf(this JsonElement question, string id) => question.GetProperty("counts").Item(id).Long("value");
}

/// <summary>A staff member as the gateway's token describes them: id, roles and (for a DomainContact) service areas.</summary>
public sealed record Staff(string Id, IReadOnlyList<string> Roles, IReadOnlyList<string> Areas)
{
    private static readonly Lazy<SigningCredentials> Credentials = new(() =>
    {
        var key = ECDsa.Create();
        key.ImportFromPem(TestTokens.PrivateKeyPem);
        return new SigningCredentials(new ECDsaSecurityKey(key) { CryptoProviderFactory = new CryptoProviderFactory() }, SecurityAlgorithms.EcdsaSha256);
    });

    public static Staff New(string role, params string[] areas) => new("staff-" + Guid.NewGuid().ToString("N")[..12], [role], areas);

    public static Staff Coordinator() => New(PanelRoles.Coordinator);

    /// <summary>A token minted exactly as the gateway mints one for staff, plus <c>area</c> claims.</summary>
    public string Token()
    {
        var identity = new ClaimsIdentity();
        identity.AddClaim(new Claim(PanelClaims.Subject, Id));
        identity.AddClaim(new Claim(PanelClaims.ActorKind, PanelClaims.ActorStaff));
        foreach (var role in Roles) identity.AddClaim(new Claim(PanelClaims.Role, role));
        foreach (var area in Areas) identity.AddClaim(new Claim(PanelClaims.ServiceArea, area));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GatewayTokenOptions.Issuer,
            Audience = GatewayTokenOptions.AudienceFor(ServiceNames.Reporting),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Subject = identity,
            SigningCredentials = Credentials.Value,
        });
    }
}
