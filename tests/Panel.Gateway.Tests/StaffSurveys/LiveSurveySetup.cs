using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Panel.Gateway.Accounts;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.StaffSurveys;

/// <summary>
/// Surveys and members set up in the real services behind a <see cref="LiveGatewayHost"/>: surveys through the Surveys
/// API via the gateway's proxy as a signed-in staff member (the proxy attaches that member's gateway token), members
/// straight into Membership's database, as its own tests write them.
/// </summary>
public static class LiveSurveySetup
{
    public const string Area = "elderly-services";

    /// <summary>How long an event takes at most from one service to another here.</summary>
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A Finnish text of the UI (with its placeholders filled in).</summary>
    public static string Fi(string key) => GatewayHost.Texts.Get("fi", key);

    public static string Fi(string key, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Fi(key), args);

    public static JsonObject Texts(string fi, string sv, string en) => new() { ["fi"] = fi, ["sv"] = sv, ["en"] = en };

    /// <summary>
    /// A survey in fi, sv and en with one page (p1) of a single-choice question (q1: options a1, a2) and an NPS
    /// question (q2); when not <paramref name="complete"/>, only the Finnish title (its other texts are missing).
    /// </summary>
    public static JsonObject Content(string area = Area, bool complete = true) => new()
    {
        ["kind"] = "questionnaire",
        ["serviceArea"] = area,
        ["languages"] = new JsonArray("fi", "sv", "en"),
        ["title"] = complete ? Texts("Palvelukysely", "Serviceenkät", "Service survey") : new JsonObject { ["fi"] = "Palvelukysely" },
        ["purpose"] = complete ? Texts("Miksi", "Varför", "Why") : null,
        ["resultsUse"] = complete ? Texts("Käyttö", "Användning", "Use") : null,
        ["pages"] = new JsonArray(new JsonObject
        {
            ["id"] = "p1",
            ["questions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "single-choice", ["id"] = "q1", ["text"] = Texts("Kumpi?", "Vilken?", "Which?"), ["required"] = true,
                    ["options"] = new JsonArray(
                        new JsonObject { ["id"] = "a1", ["label"] = Texts("Yksi", "Ett", "One") },
                        new JsonObject { ["id"] = "a2", ["label"] = Texts("Kaksi", "Två", "Two") }),
                },
                new JsonObject
                {
                    ["type"] = "nps", ["id"] = "q2", ["text"] = Texts("Suosittelisitko?", "Rekommenderar du?", "Recommend?"), ["required"] = false,
                    ["lowLabel"] = Texts("Ei", "Nej", "No"), ["highLabel"] = Texts("Kyllä", "Ja", "Yes"),
                }),
        }),
    };

    /// <summary>A new staff member with these roles (and, for a domain contact, these service areas), signed in.</summary>
    public static async Task<(Browser Browser, StaffUser User)> StaffAsync(this LiveGatewayHost host, string[] roles, params string[] areas)
    {
        var user = await host.CreateStaffAsync(roles);
        if (areas.Length > 0)
        {
            var added = await host.WithUsersAsync(async users =>
                await users.AddClaimsAsync((await users.FindByIdAsync(user.Id))!, areas.Select(a => new Claim(PanelClaims.ServiceArea, a))));
            Assert.True(added.Succeeded);
        }

        return (await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword), user);
    }

    public static async Task<Browser> StaffBrowserAsync(this LiveGatewayHost host, params string[] roles) => (await host.StaffAsync(roles)).Browser;

    public static Task<Browser> CoordinatorAsync(this LiveGatewayHost host) => host.StaffBrowserAsync(PanelRoles.Coordinator);

    /// <summary>A survey author signed in, and a new survey of theirs (<see cref="Content"/> unless given).</summary>
    public static async Task<(Browser Browser, Guid Id)> AuthorWithSurveyAsync(this LiveGatewayHost host, JsonObject? content = null)
    {
        var (browser, _) = await host.StaffAsync([PanelRoles.SurveyAuthor]);
        return (browser, await browser.CreateSurveyAsync(content));
    }

    /// <summary>Posts a form of the page with its hidden fields and these (a field named several times is sent several times).</summary>
    public static async Task<Page> PostFormAsync(this Browser browser, Page page, string formName, params (string Name, string Value)[] fields)
    {
        var form = page.Form(formName);
        var values = form.Hidden.Select(h => KeyValuePair.Create(h.Key, h.Value))
            .Where(h => fields.All(f => f.Name != h.Key))
            .Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var content = new FormUrlEncodedContent(values);
        var address = string.IsNullOrEmpty(form.Action) ? page.Url : new Uri(page.Url, form.Action);
        var response = await browser.Http.PostAsync(address, content);
        return new Page(address, response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a survey (<see cref="Content"/> unless given) as the browser's staff member.</summary>
    public static async Task<Guid> CreateSurveyAsync(this Browser author, JsonObject? content = null)
    {
        var created = await SucceedsAsync(await author.Http.PostAsJsonAsync("/api/surveys", content ?? Content()));
        return Guid.Parse(created["id"]!.ToString());
    }

    /// <summary>The survey as Surveys now has it, read as the browser's staff member.</summary>
    public static async Task<JsonObject> SurveyAsync(this Browser browser, Guid id) =>
        (await browser.Http.GetFromJsonAsync<JsonObject>($"/api/surveys/{id}"))!;

    public static async Task<string> StateAsync(this Browser browser, Guid id) => (await browser.SurveyAsync(id))["state"]!.ToString();

    /// <summary>The questions' ids, page by page.</summary>
    public static async Task<string[][]> QuestionIdsAsync(this Browser browser, Guid id) =>
        [.. (await browser.SurveyAsync(id))["pages"]!.AsArray().Select(p => p!["questions"]!.AsArray().Select(q => q!["id"]!.ToString()).ToArray())];

    /// <summary>A panel target group of the members who joined with <paramref name="campaign"/> (nobody else is ever invited).</summary>
    public static async Task SetTargetGroupAsync(this Browser author, Guid id, string campaign) =>
        await SucceedsAsync(await author.Http.PutAsJsonAsync($"/api/surveys/{id}/target-group", new JsonObject
        {
            ["mode"] = "panel",
            ["criteria"] = new JsonObject { ["campaignCodes"] = new JsonArray(campaign) },
            ["reminders"] = new JsonObject { ["afterDays"] = 7, ["max"] = 0 },
        }));

    /// <summary>
    /// A new survey driven to <paramref name="state"/> (draft, in-review, open, closed, results-published) by a
    /// coordinator, created by <paramref name="author"/> (a coordinator unless given); one that opens invites the
    /// members of <paramref name="campaign"/> (a new campaign nobody joined unless given).
    /// </summary>
    public static async Task<Guid> SurveyInStateAsync(this LiveGatewayHost host, string state, Browser? author = null, string? campaign = null, JsonObject? content = null)
    {
        var coordinator = await host.CoordinatorAsync();
        var id = await (author ?? coordinator).CreateSurveyAsync(content);
        await coordinator.SetTargetGroupAsync(id, campaign ?? NewCampaign());
        var steps = new (string Reached, string Path, object Body)[]
        {
            ("in-review", "submit", new { }),
            ("open", "approve", new { opensAt = DateTimeOffset.UtcNow, closesAt = DateTimeOffset.UtcNow.AddDays(14) }),
            ("closed", "close", new { }),
            ("results-published", "publish-results", new { }),
        };
        var current = "draft";
        foreach (var (reached, path, body) in steps)
        {
            if (current == state)
            {
                break;
            }

            await SucceedsAsync(await coordinator.Http.PostAsJsonAsync($"/api/surveys/{id}/{path}", body));
            current = reached;
        }

        Assert.Equal(state, await coordinator.StateAsync(id));
        return id;
    }

    /// <summary>A campaign code of one test, so that tests sharing Membership never count or invite each other's members.</summary>
    public static string NewCampaign() => "GW-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    /// <summary>An active, verified, consenting member who joined with <paramref name="campaign"/>, written into Membership's database.</summary>
    public static Task AddMemberAsync(this LiveGatewayHost host, string campaign, string ageBand = "35-44", string municipality = "Tampere",
        string language = "fi", bool isClient = true)
    {
        var birthYear = DateTime.UtcNow.Year - (ageBand == "85+" ? 90 : int.Parse(ageBand[..2], System.Globalization.CultureInfo.InvariantCulture) + 2);
        return host.Membership.Database.ScalarAsync<string>("""
            INSERT INTO members (id, email, birth_year, reported_age_band, municipality, gender, language, is_client, contact_channel,
                status, joined_at, verified_at, consent_version, consent_accepted_at, campaign_code)
            VALUES (gen_random_uuid(), @p0, @p1, @p2, @p3, 'woman', @p4, @p5, 'email', 'Active', now(), now(), '1', now(), @p6)
            RETURNING id::text
            """, $"member-{Guid.NewGuid():N}@example.fi", birthYear, ageBand, municipality, language, isClient, campaign);
    }

    public static async Task AddMembersAsync(this LiveGatewayHost host, int count, string campaign, string ageBand = "35-44", string municipality = "Tampere")
    {
        for (var i = 0; i < count; i++)
        {
            await host.AddMemberAsync(campaign, ageBand, municipality);
        }
    }

    /// <summary>Membership's invitation progress of a survey, once Membership has taken its opening (404 until then).</summary>
    public static async Task<JsonObject> ProgressAsync(this Browser browser, Guid id) =>
        (await Eventually.UntilAsync(async () =>
            {
                var response = await browser.Http.GetAsync($"/api/membership/surveys/{id}/invitations/progress");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            },
            p => p is not null, EventTimeout, "Membership's invitation progress of the survey"))!;

    /// <summary>Waits until Membership has sent the emails of all <paramref name="count"/> invitations to the survey.</summary>
    public static Task InvitationsSentAsync(this LiveGatewayHost host, Guid id, int count) =>
        Eventually.UntilAsync(
            () => host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND sent_at IS NOT NULL", id),
            n => n == count, EventTimeout, $"the {count} invitations' emails to be sent");

    /// <summary>The body of a successful answer; a failure names its status and body.</summary>
    public static async Task<JsonObject> SucceedsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
