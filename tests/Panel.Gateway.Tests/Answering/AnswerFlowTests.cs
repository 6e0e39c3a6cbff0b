using System.Net;
using System.Text.Json;
using Panel.Gateway.Answering;
using Panel.Gateway.Backends;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Tests.Answering;

/// <summary>The answering flow's state machine, without a page or a service: refusals, buttons, failures.</summary>
public sealed class AnswerFlowTests
{
    private static ServiceException Problem(int status, string? body = null) =>
        new("refused", status, body,
            new Dictionary<string, IEnumerable<string>> { ["Content-Type"] = [body is null ? "text/plain" : "application/problem+json"] }, null);

    /// <summary>Two pages: p1 with a required single choice q1 and an optional q2, p2 with q3; both shown.</summary>
    private static AnswerSession Session(string answers = "{}", bool secondShown = true) =>
        JsonSerializer.Deserialize<AnswerSession>($$"""
        {
          "channel": "invitation", "languages": ["fi"], "closesAt": "2030-01-31T22:00:00+00:00", "resumeCode": null,
          "answers": {{answers}},
          "form": { "surveyId": "{{Guid.Empty}}", "version": 1, "language": "fi", "title": "T", "missingTranslations": [],
            "pages": [
              { "id": "p1", "number": 1, "questions": [
                { "id": "q1", "type": "single-choice", "number": 1, "text": "Q1", "required": true,
                  "options": [{ "id": "a", "label": "A" }] },
                { "id": "q2", "type": "free-text", "number": 2, "text": "Q2", "required": false } ] },
              { "id": "p2", "number": 2, "questions": [
                { "id": "q3", "type": "free-text", "number": 3, "text": "Q3", "required": false } ] } ] },
          "navigation": { "page": "p1", "position": 1, "count": 2, "previous": null, "next": "p2",
            "pages": [
              { "id": "p1", "number": 1, "shown": true, "questions": [
                { "id": "q1", "shown": true, "dependsOnPage": false }, { "id": "q2", "shown": true, "dependsOnPage": false } ] },
              { "id": "p2", "number": 2, "shown": {{(secondShown ? "true" : "false")}}, "questions": [
                { "id": "q3", "shown": true, "dependsOnPage": false } ] } ] }
        }
        """, ServiceClientSettings.Json)!;

    [Theory]
    [InlineData(404, null, AnswerView.Unknown)]
    [InlineData(410, """{"reason":"answered"}""", AnswerView.Answered)]
    [InlineData(410, """{"reason":"closed"}""", AnswerView.Closed)]
    [InlineData(409, """{"reason":"not-open"}""", AnswerView.NotOpen)]
    [InlineData(400, """{"errors":{"token":["Unknown."]}}""", AnswerView.Unknown)]
    [InlineData(400, """{"errors":{"resumeCode":["Unknown."]}}""", AnswerView.Unknown)]
    [InlineData(400, """{"errors":{"answers":["Bad."]}}""", AnswerView.Unavailable)]
    [InlineData(503, null, AnswerView.Unavailable)]
    [InlineData(200, "not the agreed shape", AnswerView.Unavailable)]
    public void A_refusal_leads_to_the_end_its_status_and_reason_say(int status, string? body, AnswerView expected) =>
        Assert.Equal(expected, AnswerFlow.ViewFor(Problem(status, body)));

    [Theory]
    [InlineData(AnswerView.Answered, 410)]
    [InlineData(AnswerView.Closed, 410)]
    [InlineData(AnswerView.NotOpen, 409)]
    [InlineData(AnswerView.Unavailable, 503)]
    [InlineData(AnswerView.Unknown, 200)]
    [InlineData(AnswerView.Expired, 200)]
    [InlineData(AnswerView.Form, 200)]
    public void Each_view_is_sent_with_the_status_that_says_it(AnswerView view, int status) =>
        Assert.Equal(status, AnswerFlow.StatusCodeOf(view));

    [Fact]
    public void An_expired_open_link_is_worded_apart_from_an_expired_invitation()
    {
        Assert.Equal("expiredCode", AnswerFlow.StateKey(AnswerView.Expired, openLink: true));
        Assert.Equal("expired", AnswerFlow.StateKey(AnswerView.Expired, openLink: false));
        Assert.Equal("closed", AnswerFlow.StateKey(AnswerView.Closed, openLink: true));
    }

    [Theory]
    [InlineData("lang:sv", "sv")]
    [InlineData("lang:de", null)]
    [InlineData("next", null)]
    public void Only_a_language_of_the_UI_is_switched_to(string action, string? language) =>
        Assert.Equal(language, AnswerFlow.LanguageOf(action));

    [Fact]
    public void Next_with_a_required_question_unanswered_shows_the_page_again_with_it()
    {
        var session = Session();
        var step = AnswerFlow.Next("next", session, AnswerPages.Place(session, "p1"));

        Assert.Equal(AnswerStepKind.MissingRequired, step.Kind);
        Assert.Equal("p1", step.PageId);
        Assert.Equal(["q1"], step.Missing);
    }

    [Fact]
    public void Next_with_the_page_answered_goes_to_the_next_page_shown()
    {
        var session = Session("""{"q1":"a"}""");
        var step = AnswerFlow.Next("next", session, AnswerPages.Place(session, "p1"));

        Assert.Equal((AnswerStepKind.ShowPage, "p2"), (step.Kind, step.PageId));
        Assert.Empty(step.Missing);
    }

    [Fact]
    public void Submit_on_the_last_page_shown_submits_and_next_there_stays()
    {
        var session = Session("""{"q1":"a"}""", secondShown: false);
        var here = AnswerPages.Place(session, "p1");

        Assert.Equal(AnswerStepKind.Submit, AnswerFlow.Next("submit", session, here).Kind);
        var next = AnswerFlow.Next("next", session, here);
        Assert.Equal(AnswerStepKind.ShowPage, next.Kind);
        Assert.Equal("p1", next.PageId);
    }

    [Fact]
    public void Previous_save_and_a_language_need_no_answers()
    {
        var session = Session();

        var back = AnswerFlow.Next("previous", session, AnswerPages.Place(session, "p2"));
        Assert.Equal((AnswerStepKind.ShowPage, "p1"), (back.Kind, back.PageId));
        var backOnFirst = AnswerFlow.Next("previous", session, AnswerPages.Place(session, "p1"));
        Assert.Equal((AnswerStepKind.ShowPage, "p1"), (backOnFirst.Kind, backOnFirst.PageId));
        Assert.Equal(AnswerStepKind.SavedForLater, AnswerFlow.Next("save", session, AnswerPages.Place(session, "p1")).Kind);
        Assert.Equal(AnswerStepKind.SwitchLanguage, AnswerFlow.Next("lang:en", session, AnswerPages.Place(session, "p1")).Kind);
    }

    [Theory]
    [InlineData(400, """{"answerErrors":[{"questionId":"q1","page":"p1","code":"required"}]}""", AnswerFailureKind.ShowProblems)]
    [InlineData(400, """{"errors":{"page":["No such page."]}}""", AnswerFailureKind.PageGone)]
    [InlineData(429, """{"reason":"busy"}""", AnswerFailureKind.Busy)]
    [InlineData(400, """{"reason":"unknown-resume-code"}""", AnswerFailureKind.Expired)]
    [InlineData(410, """{"reason":"closed"}""", AnswerFailureKind.End)]
    [InlineData(503, null, AnswerFailureKind.End)]
    public void A_refused_save_is_explained_by_what_Surveys_named(int status, string? body, AnswerFailureKind expected) =>
        Assert.Equal(expected, AnswerFlow.SaveRefused(Problem(status, body)));

    [Theory]
    [InlineData(400, """{"answerErrors":[{"questionId":"q3","page":"p2","code":"too-long"}]}""", AnswerFailureKind.ShowProblems)]
    [InlineData(429, """{"reason":"busy"}""", AnswerFailureKind.Busy)]
    [InlineData(400, """{"errors":{"page":["No such page."]}}""", AnswerFailureKind.End)]
    [InlineData(410, """{"reason":"answered"}""", AnswerFailureKind.End)]
    public void A_refused_submit_shows_the_answers_problems_or_ends(int status, string? body, AnswerFailureKind expected) =>
        Assert.Equal(expected, AnswerFlow.SubmitRefused(Problem(status, body)));

    [Fact]
    public void The_answers_problems_are_read_from_the_problem_with_their_page_and_code()
    {
        var problem = Problem(400, """{"answerErrors":[{"questionId":"q3","page":"p2","code":"too-long","message":"x"}]}""");

        var only = Assert.Single(problem.AnswerErrors());
        Assert.Equal(new AnswerProblem("q3", "p2", "too-long", "x"), only);
        Assert.Equal("p2", AnswerPages.FirstPageWith(Session(), problem.AnswerErrors()));
    }
}
