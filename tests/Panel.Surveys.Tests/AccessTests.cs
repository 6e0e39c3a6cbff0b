using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>
/// Who sees which surveys: an author their own, a domain contact their areas', coordinators and IT
/// administrators all, communications those approved or later, report readers none.
/// </summary>
public sealed class AccessTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static Guid[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];

    [Fact]
    public async Task Each_role_lists_and_reads_only_the_surveys_it_may_see()
    {
        var author = Staff.Author();
        var otherAuthor = Staff.Author();
        var ownDraft = await host.SurveyInStateAsync(author, "draft");
        var ownElsewhere = await host.SurveyInStateAsync(author, "draft", Survey(SurveysHost.OtherArea));
        var othersApproved = await host.SurveyInStateAsync(otherAuthor, "approved");
        var othersDraft = await host.SurveyInStateAsync(otherAuthor, "draft");
        Guid[] all = [ownDraft, ownElsewhere, othersApproved, othersDraft];

        async Task<Guid[]> Visible(Staff staff) =>
            [.. Ids(await host.As(staff).GetFromJsonAsync<JsonElement>("/api/surveys")).Where(all.Contains).Order()];

        Assert.Equal(new[] { ownDraft, ownElsewhere }.Order(), await Visible(author));
        Assert.Equal(new[] { othersApproved, othersDraft }.Order(), await Visible(otherAuthor));
        Assert.Equal(new[] { ownDraft, othersApproved, othersDraft }.Order(), await Visible(Staff.Contact()));
        Assert.Equal(new[] { ownElsewhere }, await Visible(Staff.Contact(SurveysHost.OtherArea)));
        Assert.Equal(all.Order(), await Visible(Staff.Coordinator()));
        Assert.Equal(all.Order(), await Visible(Staff.ItAdmin()));
        Assert.Equal(new[] { othersApproved }, await Visible(Staff.Communications()));
        var both = new Staff("both-" + Guid.NewGuid().ToString("N")[..8], [PanelRoles.SurveyAuthor, PanelRoles.DomainContact], [SurveysHost.OtherArea]);
        Assert.Equal(new[] { ownElsewhere }, await Visible(both));

        Assert.Equal(HttpStatusCode.NotFound, (await host.As(otherAuthor).GetAsync($"/api/surveys/{ownDraft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(Staff.Contact(SurveysHost.OtherArea)).GetAsync($"/api/surveys/{ownDraft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(Staff.Communications()).GetAsync($"/api/surveys/{ownDraft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(otherAuthor).GetAsync($"/api/surveys/{ownDraft}/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(otherAuthor).GetAsync($"/api/surveys/{ownDraft}/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.As(Staff.Communications()).GetAsync($"/api/surveys/{othersApproved}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.As(Staff.ItAdmin()).GetAsync($"/api/surveys/{ownDraft}")).StatusCode);
    }

    [Fact]
    public async Task Report_readers_see_nothing_here()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "approved");
        var reader = host.As(Staff.ReportReader());

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/surveys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/surveys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/surveys/{id}/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/surveys/{id}/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/surveys/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/surveys/options")).StatusCode);
    }

    [Fact]
    public async Task Only_authors_domain_contacts_and_coordinators_create_and_a_contact_only_in_their_areas()
    {
        var before = await host.SurveyCountAsync();

        var byCommunications = await host.As(Staff.Communications()).PostAsync("/api/surveys", Json(Survey()));
        var byItAdmin = await host.As(Staff.ItAdmin()).PostAsync("/api/surveys", Json(Survey()));
        var byReader = await host.As(Staff.ReportReader()).PostAsync("/api/surveys", Json(Survey()));
        var byContactElsewhere = await host.As(Staff.Contact(SurveysHost.OtherArea)).PostAsync("/api/surveys", Json(Survey()));

        Assert.Equal(HttpStatusCode.Forbidden, byCommunications.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byItAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byContactElsewhere.StatusCode);
        Assert.Equal("application/problem+json", byContactElsewhere.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await host.SurveyCountAsync());
        Assert.Equal(HttpStatusCode.Created, (await host.As(Staff.Contact()).PostAsync("/api/surveys", Json(Survey()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.As(Staff.Coordinator()).PostAsync("/api/surveys", Json(Survey(SurveysHost.OtherArea)))).StatusCode);
    }

    [Fact]
    public async Task A_domain_contact_cannot_move_a_survey_out_of_their_areas()
    {
        var contact = Staff.Contact();
        var id = await host.SurveyInStateAsync(Staff.Author(), "draft");

        var response = await host.As(contact).PatchAsync($"/api/surveys/{id}", Json($"{{\"serviceArea\":\"{SurveysHost.OtherArea}\"}}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(SurveysHost.Area, await host.Database.ScalarAsync<string>("SELECT service_area FROM surveys WHERE id = @p0", id));
        Assert.Equal(HttpStatusCode.OK, (await host.As(Staff.Coordinator()).PatchAsync($"/api/surveys/{id}",
            Json($"{{\"serviceArea\":\"{SurveysHost.OtherArea}\"}}"))).StatusCode);
    }

    [Fact]
    public async Task The_allowed_actions_follow_role_and_state()
    {
        var owner = Staff.Author();
        var draft = await host.SurveyInStateAsync(owner, "draft");
        var open = await host.SurveyInStateAsync(owner, "open");
        var closed = await host.SurveyInStateAsync(owner, "closed");

        async Task<string[]> Actions(Staff staff, Guid id) =>
            [.. (await host.As(staff).GetSurveyAsync(id)).GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()!)];

        Assert.Equal(["edit", "submit", "save-as-template"], await Actions(owner, draft));
        Assert.Equal(["save-as-template"], await Actions(owner, open));
        Assert.Equal(["edit", "reschedule", "close", "save-as-template"], await Actions(Staff.Coordinator(), open));
        Assert.Equal(["publish-results"], await Actions(Staff.Communications(), closed));
        Assert.Empty(await Actions(Staff.ItAdmin(), draft));
    }

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", "/api/surveys" },
        { "GET", "/api/surveys/options" },
        { "POST", "/api/surveys" },
        { "GET", "/api/surveys/{id}" },
        { "PUT", "/api/surveys/{id}" },
        { "PATCH", "/api/surveys/{id}" },
        { "GET", "/api/surveys/{id}/preview" },
        { "GET", "/api/surveys/{id}/reviews" },
        { "POST", "/api/surveys/{id}/reviews" },
        { "POST", "/api/surveys/{id}/submit" },
        { "POST", "/api/surveys/{id}/approve" },
        { "POST", "/api/surveys/{id}/schedule" },
        { "POST", "/api/surveys/{id}/close" },
        { "POST", "/api/surveys/{id}/publish-results" },
        { "POST", "/api/surveys/{id}/template" },
        { "GET", "/api/surveys/templates" },
        { "GET", "/api/surveys/templates/customer-experience" },
        { "DELETE", "/api/surveys/templates/{id}" },
        { "POST", "/api/surveys/from-template" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_calls_without_a_staff_token_for_surveys(string method, string path)
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "draft");
        var url = path.Replace("{id}", id.ToString(), StringComparison.Ordinal);
        var versionBefore = await host.VersionAsync(id);
        async Task<HttpStatusCode> Send(string? token)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method != "GET" && method != "DELETE")
            {
                request.Content = Json(Survey());
            }

            return (await host.Client(token).SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(TestTokens.Forged(ServiceNames.Surveys)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(Staff.Coordinator().Token(ServiceNames.Membership)));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(TestTokens.Public(ServiceNames.Surveys)));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(TestTokens.Resident(ServiceNames.Surveys, Guid.NewGuid())));
        Assert.Equal(versionBefore, await host.VersionAsync(id));
        Assert.Equal("Draft", await host.StateAsync(id));
    }

    [Fact]
    public async Task Health_answers_without_a_token_and_the_OpenAPI_document_names_the_endpoints()
    {
        var health = await Eventually.UntilAsync(() => host.Client(null).GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "surveys to become healthy");
        var document = await host.As(Staff.Coordinator()).GetStringAsync(ServiceApiExtensions.OpenApiPath(ServiceNames.Surveys));

        Assert.Contains("\"database\":\"Healthy\"", await health.Content.ReadAsStringAsync());
        foreach (var name in new[] { "CreateSurvey", "ApproveSurvey", "PublishSurveyResults", "PreviewSurvey", "CreateSurveyFromTemplate", "ReviewSurvey" })
        {
            Assert.Contains(name, document);
        }
    }
}
