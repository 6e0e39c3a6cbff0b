using System.Net;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>
/// Every transition tried by every kind of caller on a survey in the state it starts from: allowed
/// ones succeed, the wrong role is a 403, a survey outside the caller's scope a 404, and a refused
/// call changes neither the state nor the events.
/// </summary>
public sealed class AuthorizationMatrixTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private const string Owner = "owner";
    private const string OtherAuthor = "other-author";
    private const string Contact = "contact";
    private const string OtherContact = "other-contact";
    private const string Coordinator = "coordinator";
    private const string Communications = "communications";
    private const string ReportReader = "report-reader";
    private const string ItAdmin = "it-admin";

    private static readonly string[] Callers = [Owner, OtherAuthor, Contact, OtherContact, Coordinator, Communications, ReportReader, ItAdmin];

    /// <summary>Transition → (state it starts from, state it leads to, callers allowed, callers that cannot see the survey).</summary>
    private static readonly Dictionary<string, (string From, string To, string[] Allowed, string[] Unseen)> Transitions = new()
    {
        ["edit-draft"] = ("draft", "Draft", [Owner, Contact, Coordinator], [OtherAuthor, OtherContact]),
        ["submit"] = ("draft", "InReview", [Owner, Contact, Coordinator], [OtherAuthor, OtherContact]),
        ["comment"] = ("in-review", "InReview", [Contact, Coordinator], [OtherContact]),
        ["return-to-draft"] = ("in-review", "Draft", [Contact, Coordinator], [OtherContact]),
        ["approve"] = ("in-review", "Approved", [Coordinator], []),
        ["reschedule"] = ("approved", "Approved", [Coordinator], []),
        ["edit-approved"] = ("approved", "Approved", [Coordinator], [OtherAuthor, OtherContact]),
        ["close"] = ("open", "Closed", [Coordinator], []),
        ["publish-results"] = ("closed", "ResultsPublished", [Coordinator, Communications], []),
    };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var transition in Transitions.Keys)
        {
            foreach (var caller in Callers)
            {
                data.Add(transition, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_transition_is_allowed_only_to_its_roles(string transition, string caller)
    {
        var owner = Staff.Author();
        var (from, to, allowed, unseen) = Transitions[transition];
        var id = await host.SurveyInStateAsync(owner, from);
        var stateBefore = await host.StateAsync(id);
        var eventsBefore = await host.EventNamesAsync(id);
        var versionBefore = await host.VersionAsync(id);
        var staff = caller switch
        {
            Owner => owner,
            OtherAuthor => Staff.Author(),
            Contact => Staff.Contact(),
            OtherContact => Staff.Contact(SurveysHost.OtherArea),
            Coordinator => Staff.Coordinator(),
            Communications => Staff.Communications(),
            ReportReader => Staff.ReportReader(),
            _ => Staff.ItAdmin(),
        };
        var client = host.As(staff);
        var edited = Survey();
        edited["title"] = T("Edited title");

        var response = transition switch
        {
            "edit-draft" or "edit-approved" => await client.PutAsync($"/api/surveys/{id}", Json(edited)),
            "submit" => await client.PostAsync($"/api/surveys/{id}/submit"),
            "comment" => await client.PostAsync($"/api/surveys/{id}/reviews", new { comment = "Clear enough." }),
            "return-to-draft" => await client.PostAsync($"/api/surveys/{id}/reviews", new { comment = "Please shorten.", returnToDraft = true }),
            "approve" => await client.PostAsync($"/api/surveys/{id}/approve", host.Schedule(TimeSpan.FromDays(1), TimeSpan.FromDays(8))),
            "reschedule" => await client.PostAsync($"/api/surveys/{id}/schedule", host.Schedule(TimeSpan.FromDays(2), TimeSpan.FromDays(9))),
            "close" => await client.PostAsync($"/api/surveys/{id}/close"),
            _ => await client.PostAsync($"/api/surveys/{id}/publish-results"),
        };

        var expected = allowed.Contains(caller)
            ? transition is "comment" or "return-to-draft" ? HttpStatusCode.Created : HttpStatusCode.OK
            : unseen.Contains(caller) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{caller} {transition}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        if (allowed.Contains(caller))
        {
            Assert.Equal(to, await host.StateAsync(id));
            return;
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(stateBefore, await host.StateAsync(id));
        Assert.Equal(eventsBefore, await host.EventNamesAsync(id));
        Assert.Equal(versionBefore, await host.VersionAsync(id));
    }
}
