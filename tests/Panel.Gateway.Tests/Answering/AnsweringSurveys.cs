using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.Answering;

/// <summary>
/// Real surveys in the real Surveys for the answering pages: made, submitted, approved and opened through the
/// gateway's proxy by a coordinator, as staff do it; invitations as Membership issues them (over the shared bus).
/// </summary>
public static class AnsweringSurveys
{
    public const string TitleFi = "Terveysaseman palvelut";
    public const string TitleSv = "Hälsostationens tjänster";
    public const string ResultsUseFi = "Tulokset ohjaavat aukioloaikojen suunnittelua.";
    public const string PurposeFi = "Haluamme tietää, miten terveysaseman palvelut toimivat.";
    public const string Area = "elderly-services";

    /// <summary>A coordinator's browser (the proxy attaches their gateway token to the Surveys API calls).</summary>
    public static async Task<Browser> CoordinatorAsync(this GatewayHost host)
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator, PanelRoles.SurveyAuthor);
        return await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
    }

    /// <summary>
    /// A survey driven to <paramref name="state"/> (draft, approved, open, closed, results-published), with an open-link
    /// target group when <paramref name="openLink"/>; returns its id and, for an open link, its public id.
    /// </summary>
    public static async Task<(Guid Id, string? PublicId)> SurveyAsync(this LiveGatewayHost host, JsonObject definition, string state = "open",
        bool openLink = false, Browser? staff = null, JsonObject? targetGroup = null, Browser? author = null)
    {
        staff ??= await host.CoordinatorAsync();
        var created = await (author ?? staff).Http.PostAsJsonAsync("/api/surveys", definition);
        var id = (await BodyAsync(created, HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        string? publicId = null;
        if (openLink || targetGroup is not null)
        {
            var set = await staff.Http.PutAsJsonAsync($"/api/surveys/{id}/target-group", targetGroup ?? new JsonObject { ["mode"] = "open-link" });
            publicId = (await BodyAsync(set, HttpStatusCode.OK))["publicId"]?.GetValue<string>();
        }

        if (state == "draft")
        {
            return (id, publicId);
        }

        await StepAsync(staff, $"/api/surveys/{id}/submit", new JsonObject());
        var now = DateTimeOffset.UtcNow;
        var opensAt = state == "approved" ? now.AddDays(1) : now;
        await StepAsync(staff, $"/api/surveys/{id}/approve", new JsonObject { ["opensAt"] = opensAt, ["closesAt"] = now.AddDays(14) });
        if (state is "closed" or "results-published")
        {
            await StepAsync(staff, $"/api/surveys/{id}/close", new JsonObject());
        }

        if (state == "results-published")
        {
            await StepAsync(staff, $"/api/surveys/{id}/publish-results", new JsonObject());
        }

        return (id, publicId);
    }

    public static async Task CloseAsync(this LiveGatewayHost host, Guid id) =>
        await StepAsync(await host.CoordinatorAsync(), $"/api/surveys/{id}/close", new JsonObject());

    private static async Task StepAsync(Browser staff, string path, JsonObject body) =>
        await BodyAsync(await staff.Http.PostAsJsonAsync(path, body), HttpStatusCode.OK, HttpStatusCode.NoContent);

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode), $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// Invitations to the survey as Membership issues them (SurveyInvitationsIssued on the shared bus, the tokens'
    /// hashes only); waits until Surveys has stored them and returns the tokens.
    /// </summary>
    public static async Task<List<string>> InviteAsync(this LiveGatewayHost host, Guid surveyId, int count = 1, string language = "fi")
    {
        var tokens = Enumerable.Range(0, count).Select(_ => NewToken()).ToList();
        var hashes = tokens.Select(Hash).ToArray();
        var profile = new ProfileSnapshot("65-74", "Tampere", "woman", language, true);
        await host.Surveys.Services.GetRequiredService<IBus>()
            .Publish(new SurveyInvitationsIssued(surveyId, [.. hashes.Select(h => new IssuedInvitation(h, profile, language))]));
        await Eventually.UntilAsync(
            () => host.Surveys.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE token_hash = ANY(@p0)", [hashes]),
            n => n == count, TimeSpan.FromSeconds(30), "Surveys to store the invitations");
        return tokens;
    }

    /// <summary>A token as Membership makes one: 32 random bytes, base64url.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The answers Surveys holds as the draft of an invitation token or ("resume:" and) a resume code; null when it holds none.</summary>
    public static async Task<JsonObject?> DraftAsync(this LiveGatewayHost host, string key)
    {
        var json = await host.Surveys.Database.ScalarAsync<string?>("SELECT answers::text FROM answer_drafts WHERE key_hash = @p0", Hash(key.Trim()));
        return json is null ? null : JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>An open survey of <see cref="Residents"/> with one invitation: its token.</summary>
    public static async Task<string> InvitationAsync(this LiveGatewayHost host, string state = "open") =>
        (await host.InviteAsync((await host.SurveyAsync(Residents(), state)).Id)).Single();

    private static JsonObject T(string fi, string sv) => new() { ["fi"] = fi, ["sv"] = sv };

    private static JsonObject T(string fi, string sv, string en) => new() { ["fi"] = fi, ["sv"] = sv, ["en"] = en };

    private static JsonArray Options(params (string Id, JsonObject Label)[] options) =>
        [.. options.Select(o => (JsonNode)new JsonObject { ["id"] = o.Id, ["label"] = o.Label })];

    private static JsonObject UsesYes() => new() { ["questionId"] = "uses", ["anyOf"] = new JsonArray("yes") };

    /// <summary>
    /// The residents' survey, in Finnish and Swedish. Page 1: uses (single, required), why (free text max 20, follows
    /// uses=yes on the same page), visits (number 0–50, required). Page 2, shown when uses=yes: services (multiple 2–3 of
    /// 4), satisfied (Likert 5), recommend (NPS). Page 3: priorities (ranking top 2 of 4), rating (matrix 2 rows × 3,
    /// required), budget (10 vouchers, "lab" capped at 6, required).
    /// </summary>
    public static JsonObject Residents() => new()
    {
        ["kind"] = "questionnaire",
        ["serviceArea"] = Area,
        ["languages"] = new JsonArray("fi", "sv"),
        ["title"] = T(TitleFi, TitleSv),
        ["purpose"] = T(PurposeFi, "Vi vill veta hur hälsostationens tjänster fungerar."),
        ["resultsUse"] = T(ResultsUseFi, "Resultaten styr planeringen av öppettiderna."),
        ["pages"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "p1", ["title"] = T("Perustiedot", "Grunduppgifter"),
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "single-choice", ["id"] = "uses", ["text"] = T("Käytätkö terveysaseman palveluja?", "Använder du hälsostationens tjänster?"),
                        ["required"] = true, ["options"] = Options(("yes", T("Kyllä", "Ja")), ("no", T("En", "Nej"))),
                    },
                    new JsonObject { ["type"] = "free-text", ["id"] = "why", ["text"] = T("Miksi?", "Varför?"), ["maxLength"] = 20, ["showIf"] = UsesYes() },
                    new JsonObject
                    {
                        ["type"] = "number", ["id"] = "visits", ["text"] = T("Montako käyntiä vuodessa?", "Hur många besök per år?"), ["required"] = true,
                        ["min"] = 0, ["max"] = 50, ["step"] = 1, ["unit"] = T("käyntiä", "besök"),
                    }),
            },
            new JsonObject
            {
                ["id"] = "p2", ["showIf"] = UsesYes(),
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "multiple-choice", ["id"] = "services", ["text"] = T("Mitä palveluja käytät?", "Vilka tjänster använder du?"),
                        ["options"] = Options(("doc", T("Lääkäri", "Läkare")), ("nurse", T("Hoitaja", "Skötare")), ("lab", T("Laboratorio", "Laboratorium")),
                            ("dental", T("Hammashoito", "Tandvård"))),
                        ["minPicks"] = 2, ["maxPicks"] = 3,
                    },
                    new JsonObject
                    {
                        ["type"] = "likert", ["id"] = "satisfied", ["text"] = T("Olen tyytyväinen palveluun.", "Jag är nöjd med tjänsten."), ["points"] = 5,
                        ["labels"] = new JsonArray([.. new[] { "Täysin eri mieltä", "Eri mieltä", "En osaa sanoa", "Samaa mieltä", "Täysin samaa mieltä" }
                            .Select(l => (JsonNode)T(l, "sv-" + l))]),
                    },
                    new JsonObject
                    {
                        ["type"] = "nps", ["id"] = "recommend", ["text"] = T("Suosittelisitko terveysasemaa?", "Skulle du rekommendera hälsostationen?"),
                        ["lowLabel"] = T("Ei lainkaan todennäköisesti", "Inte alls sannolikt"), ["highLabel"] = T("Erittäin todennäköisesti", "Mycket sannolikt"),
                    }),
            },
            new JsonObject
            {
                ["id"] = "p3", ["title"] = T("Tärkeysjärjestys", "Prioriteringar"),
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "ranking", ["id"] = "priorities", ["text"] = T("Mitkä ovat tärkeimmät?", "Vilka är viktigast?"), ["rankCount"] = 2,
                        ["options"] = Options(("hours", T("Aukioloajat", "Öppettider")), ("phone", T("Puhelinpalvelu", "Telefontjänst")),
                            ("online", T("Verkkoasiointi", "E-tjänster")), ("access", T("Esteettömyys", "Tillgänglighet"))),
                    },
                    new JsonObject
                    {
                        ["type"] = "matrix", ["id"] = "rating", ["text"] = T("Arvioi palvelut.", "Bedöm tjänsterna."), ["required"] = true,
                        ["rows"] = Options(("reception", T("Vastaanotto", "Mottagning")), ("waiting", T("Odotus", "Väntan"))),
                        ["scale"] = Options(("bad", T("Huono", "Dålig")), ("ok", T("Kohtalainen", "Okej")), ("good", T("Hyvä", "Bra"))),
                    },
                    new JsonObject
                    {
                        ["type"] = "budget", ["id"] = "budget", ["text"] = T("Jaa 10 seteliä.", "Fördela 10 sedlar."), ["required"] = true, ["vouchers"] = 10,
                        ["options"] = new JsonArray(
                            new JsonObject { ["id"] = "lab", ["label"] = T("Laboratorio", "Laboratorium"), ["cap"] = 6 },
                            new JsonObject { ["id"] = "hours", ["label"] = T("Iltavastaanotto", "Kvällsöppet") },
                            new JsonObject { ["id"] = "phone", ["label"] = T("Puhelin", "Telefon") }),
                    }),
            }),
    };

    /// <summary>
    /// The survey staff enter answers to, in Finnish, Swedish and English. Page 1: uses (single, required), why (free
    /// text ≤ 20), visits (number 0–50 step 1 "krt", required), services (multiple 2–3 of 4). Page 2: satisfied (Likert,
    /// shown when uses=yes), recommend (NPS), priorities (ranking top 2 of 3), rating (matrix 2 × 3), budget (10 vouchers
    /// over 3 options, "lab" capped at 6).
    /// </summary>
    public static JsonObject Assisted() => new()
    {
        ["kind"] = "questionnaire",
        ["serviceArea"] = Area,
        ["languages"] = new JsonArray("fi", "sv", "en"),
        ["title"] = T(TitleFi, TitleSv, "Health centre services"),
        ["purpose"] = T("Miksi", "Varför", "Why"),
        ["resultsUse"] = T("Käyttö", "Användning", "Use"),
        ["pages"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "p1", ["title"] = T("Perustiedot", "Grunduppgifter", "Basics"),
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "single-choice", ["id"] = "uses", ["text"] = T("Käytätkö terveysasemaa?", "Använder du hälsostationen?", "Do you use the health centre?"),
                        ["required"] = true, ["options"] = Options(("yes", T("Kyllä", "Ja", "Yes")), ("no", T("En", "Nej", "No"))),
                    },
                    new JsonObject { ["type"] = "free-text", ["id"] = "why", ["text"] = T("Miksi?", "Varför?", "Why?"), ["maxLength"] = 20 },
                    new JsonObject
                    {
                        ["type"] = "number", ["id"] = "visits", ["text"] = T("Montako käyntiä?", "Hur många besök?", "How many visits?"), ["required"] = true,
                        ["min"] = 0, ["max"] = 50, ["step"] = 1, ["unit"] = T("krt", "ggr", "times"),
                    },
                    new JsonObject
                    {
                        ["type"] = "multiple-choice", ["id"] = "services", ["text"] = T("Mitä palveluja?", "Vilka tjänster?", "Which services?"), ["minPicks"] = 2, ["maxPicks"] = 3,
                        ["options"] = Options(("doc", T("Lääkäri", "Läkare", "Doctor")), ("nurse", T("Hoitaja", "Skötare", "Nurse")),
                            ("lab", T("Laboratorio", "Laboratorium", "Laboratory")), ("dental", T("Hammashoito", "Tandvård", "Dental care"))),
                    }),
            },
            new JsonObject
            {
                ["id"] = "p2",
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "likert", ["id"] = "satisfied", ["text"] = T("Olen tyytyväinen.", "Jag är nöjd.", "I am satisfied."), ["points"] = 5, ["showIf"] = UsesYes(),
                        ["labels"] = new JsonArray([.. Enumerable.Range(1, 5).Select(v => (JsonNode)T($"L{v}", $"L{v}", $"L{v}"))]),
                    },
                    new JsonObject
                    {
                        ["type"] = "nps", ["id"] = "recommend", ["text"] = T("Suosittelisitko?", "Rekommenderar du?", "Would you recommend?"),
                        ["lowLabel"] = T("Ei", "Nej", "No"), ["highLabel"] = T("Kyllä", "Ja", "Yes"),
                    },
                    new JsonObject
                    {
                        ["type"] = "ranking", ["id"] = "priorities", ["text"] = T("Mikä tärkeintä?", "Vad är viktigast?", "What matters most?"), ["rankCount"] = 2,
                        ["options"] = Options(("speed", T("Nopeus", "Snabbhet", "Speed")), ("kind", T("Ystävällisyys", "Vänlighet", "Kindness")),
                            ("near", T("Läheisyys", "Närhet", "Nearness"))),
                    },
                    new JsonObject
                    {
                        ["type"] = "matrix", ["id"] = "rating", ["text"] = T("Arvioi", "Bedöm", "Rate"),
                        ["rows"] = Options(("phone", T("Puhelin", "Telefon", "Phone")), ("desk", T("Vastaanotto", "Mottagning", "Desk"))),
                        ["scale"] = Options(("bad", T("Huono", "Dålig", "Bad")), ("ok", T("Kohtalainen", "Okej", "Fair")), ("good", T("Hyvä", "Bra", "Good"))),
                    },
                    new JsonObject
                    {
                        ["type"] = "budget", ["id"] = "budget", ["text"] = T("Jaa setelit", "Fördela sedlarna", "Share the vouchers"), ["vouchers"] = 10,
                        ["options"] = new JsonArray(
                            new JsonObject { ["id"] = "doc", ["label"] = T("Lääkäri", "Läkare", "Doctor") },
                            new JsonObject { ["id"] = "lab", ["label"] = T("Laboratorio", "Laboratorium", "Laboratory"), ["cap"] = 6 },
                            new JsonObject { ["id"] = "dental", ["label"] = T("Hammashoito", "Tandvård", "Dental care") }),
                    }),
            }),
    };
}
