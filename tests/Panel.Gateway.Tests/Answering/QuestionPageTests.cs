using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using static Panel.Gateway.Tests.Answering.InvitationAnsweringTests;

namespace Panel.Gateway.Tests.Answering;

/// <summary>
/// The nine question types as native controls, their answers as Surveys takes them, their problems next to the
/// question and in the summary, and page-by-page navigation with conditions, against the real Surveys. Questions of
/// the survey (<see cref="AnsweringSurveys.Residents"/>):
/// 1 uses (single), 2 why (free text, follows 1 = yes), 3 visits (number 0–50) | 4 services (multiple 2–3),
/// 5 satisfied (Likert), 6 recommend (NPS) — only when 1 = yes | 7 priorities (ranking 2 of 4), 8 rating (matrix),
/// 9 budget (10 vouchers, lab at most 6).
/// </summary>
[Collection(AnsweringCollection.Name)]
public sealed partial class QuestionPageTests(AnsweringHost host)
{
    private static readonly (string, string)[] Page1Yes = [("q.uses", "yes"), ("q.why", ""), ("q.visits", "3")];
    private static readonly (string, string)[] Page1No = [("q.uses", "no"), ("q.visits", "3")];
    private static readonly (string, string)[] Page2 = [("q.services", "doc"), ("q.services", "lab"), ("q.satisfied", "4"), ("q.recommend", "9")];
    internal static readonly (string, string)[] Page3 =
    [
        ("q.priorities.1", "online"), ("q.priorities.2", "hours"), ("q.rating.reception", "good"), ("q.rating.waiting", "ok"),
        ("q.budget.lab", "6"), ("q.budget.hours", "4"), ("q.budget.phone", ""),
    ];

    private async Task<(Browser Browser, Page Page, string Token)> AtPageAsync(int number)
    {
        var token = await host.InvitationAsync();
        var (browser, page) = await host.OpenInvitationAsync(token);
        if (number == 2)
        {
            page = await browser.PressAsync(page, "next", Page1Yes);
        }
        else if (number == 3)
        {
            page = await browser.PressAsync(page, "next", Page1No);
        }

        Assert.True(page.Status == HttpStatusCode.OK, $"{(int)page.Status}\n{page.Html}");
        Assert.Equal($"p{number}", page.Form("answer").Hidden["page"]);
        return (browser, page, token);
    }

    private IReadOnlyList<JsonElement> Drafts(string token) =>
        [.. host.Calls.Where(r => r.Method == "PUT" && r.Body.Contains(token, StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())];

    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9]*\b[^>]*>")]
    private static partial Regex Tag();

    /// <summary>Whether the radio or checkbox with this id is checked (Blazor writes a bare <c>checked</c>).</summary>
    internal static bool IsChecked(Page page, string id) =>
        Tag().Matches(page.Html).Select(t => t.Value).Single(t => t.Contains($"id=\"{id}\"", StringComparison.Ordinal))
            is var tag && Regex.IsMatch(tag, @"\schecked(=""[^""]*"")?[\s/>]");

    /// <summary>A problem named next to its question and listed in the summary, linking to the control.</summary>
    private static void AssertProblem(Page page, int question, string linkTarget, string message)
    {
        var errorId = $"q{question}-error";
        Assert.True(page.HasElement(errorId), $"No {errorId} on the page:\n{page.Html}");
        Assert.Contains(message, page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.error.inQuestion", question, message), page.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#{linkTarget}\">", page.Html, StringComparison.Ordinal);
        Assert.True(page.HasElement(linkTarget), $"The summary links to #{linkTarget}, which is not on the page.");
        Assert.Contains(Tag().Matches(page.Html).Select(t => t.Value), t =>
            Regex.IsMatch(t, $@"aria-describedby=""[^""]*\b{errorId}\b") && t.Contains("aria-invalid=\"true\"", StringComparison.Ordinal));
        Assert.Contains("role=\"alert\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<title>" + Fi("answer.errorTitle"), page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_question_type_is_a_native_labelled_control()
    {
        var (browser, page, _) = await AtPageAsync(1);

        // 1: single choice, radios in a fieldset whose legend is the question.
        Assert.Equal("radio", page.Element("q1-0")["type"]);
        Assert.Equal("q.uses", page.Element("q1-0")["name"]);
        Assert.Contains("<label for=\"q1-0\">Kyllä</label>", page.Text, StringComparison.Ordinal);
        Assert.Matches(@"<fieldset[^>]*id=""q1-question""[^>]*>\s*<legend>1\. Käytätkö terveysaseman palveluja\?", page.Text);
        // 2: free text with its length, shown with the condition it follows on this page worded.
        Assert.Equal("20", page.Element("q2")["maxlength"]);
        Assert.Contains("q2-condition", page.Element("q2")["aria-describedby"], StringComparison.Ordinal);
        Assert.Contains(Fi("answer.condition.anyOf", 1, "“Kyllä”"), page.Text, StringComparison.Ordinal);
        // 3: number with its range and unit.
        var visits = page.Element("q3");
        Assert.Equal("number", visits["type"]);
        Assert.Equal(("0", "50", "1"), (visits["min"], visits["max"], visits["step"]));
        Assert.Contains(Fi("answer.number.range", 0, 50, " käyntiä"), page.Text, StringComparison.Ordinal);
        Assert.Contains("<label for=\"q3\">", page.Html, StringComparison.Ordinal);

        page = await browser.PressAsync(page, "next", Page1Yes);

        // 4: checkboxes with the picks stated; 5: Likert, every point labelled; 6: NPS 0–10 with labelled ends.
        Assert.Equal("checkbox", page.Element("q4-0")["type"]);
        Assert.Equal("q.services", page.Element("q4-3")["name"]);
        Assert.Contains(Fi("answer.picks.between", 2, 3), page.Text, StringComparison.Ordinal);
        Assert.Equal(new[] { "1", "2", "3", "4", "5" }, Enumerable.Range(0, 5).Select(i => page.Element($"q5-{i}")["value"]));
        Assert.Contains("<label for=\"q5-4\">Täysin samaa mieltä</label>", page.Text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i.ToString()), Enumerable.Range(0, 11).Select(i => page.Element($"q6-{i}")["value"]));
        Assert.Contains("0 – Ei lainkaan todennäköisesti", page.Text, StringComparison.Ordinal);
        Assert.Contains("10 – Erittäin todennäköisesti", page.Text, StringComparison.Ordinal);

        page = await browser.PressAsync(page, "next", Page2);

        // 7: a select per place; 8: a fieldset per row of radios; 9: a number per option with the total and caps stated.
        Assert.Equal("q.priorities.1", page.Element("q7-p1")["name"]);
        Assert.Equal("q.priorities.2", page.Element("q7-p2")["name"]);
        Assert.False(page.HasElement("q7-p3"));
        Assert.Contains($"<label for=\"q7-p1\">{Fi("answer.rank.place", 1)}</label>", page.Html, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.rank.hintTop", 2), page.Text, StringComparison.Ordinal);
        Assert.Equal("q.rating.reception", page.Element("q8-r0-0")["name"]);
        Assert.Equal("q.rating.waiting", page.Element("q8-r1-2")["name"]);
        Assert.Matches(@"<fieldset class=""field matrix-row"">\s*<legend>Vastaanotto</legend>", page.Html);
        Assert.Equal("q.budget.lab", page.Element("q9-o0")["name"]);
        Assert.Equal("6", page.Element("q9-o0")["max"]);
        Assert.Contains(Fi("answer.budget.cap", 6), page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.budget.hint", 10), page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.submit"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_of_every_type_reach_surveys_in_its_shapes_and_the_thank_you_page_says_how_results_are_used()
    {
        var (browser, page, token) = await AtPageAsync(1);

        page = await browser.PressAsync(page, "next", Page1Yes);
        page = await browser.PressAsync(page, "next", Page2);
        page = await browser.PressAsync(page, "submit", Page3);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Fi("answer.thanks.title"), page.Text, StringComparison.Ordinal);
        Assert.Contains(AnsweringSurveys.ResultsUseFi, page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.thanks.anonymous"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("answer"));
        var drafts = Drafts(token);
        Assert.Equal(new[] { "p1", "p2", "p3" }, drafts.Select(d => d.GetProperty("page").GetString()));
        var given = drafts.SelectMany(d => d.GetProperty("answers").EnumerateObject()).ToDictionary(a => a.Name, a => a.Value.GetRawText());
        Assert.Equal("\"yes\"", given["uses"]);
        Assert.Equal("null", given["why"]);
        Assert.Equal("3", given["visits"]);
        Assert.Equal("[\"doc\",\"lab\"]", given["services"]);
        Assert.Equal("4", given["satisfied"]);
        Assert.Equal("9", given["recommend"]);
        Assert.Equal("[\"online\",\"hours\"]", given["priorities"]);
        Assert.Equal("{\"reception\":\"good\",\"waiting\":\"ok\"}", given["rating"]);
        Assert.Equal("{\"lab\":6,\"hours\":4}", given["budget"]);
        var submitted = JsonDocument.Parse(await host.Surveys.Database.ScalarAsync<string>(
            "SELECT p.answers::text FROM pending_responses p JOIN invitations i ON i.survey_id = p.survey_id WHERE i.token_hash = @p0 AND i.answered",
            AnsweringSurveys.Hash(token))).RootElement;
        Assert.Equal(new[] { "budget", "priorities", "rating", "recommend", "satisfied", "services", "uses", "visits" },
            submitted.EnumerateObject().Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Null(await host.DraftAsync(token));
        // The submit took the draft as it stood: no answers of its own.
        var submit = host.Calls.Single(r => r.Path.EndsWith("/submit", StringComparison.Ordinal) && r.Body.Contains(token, StringComparison.Ordinal));
        Assert.False(JsonDocument.Parse(submit.Body).RootElement.TryGetProperty("answers", out _));
    }

    [Fact]
    public async Task Unanswered_required_questions_are_named_at_the_question_and_in_the_summary_and_the_page_stays()
    {
        var (browser, page, token) = await AtPageAsync(1);

        var refused = await browser.PressAsync(page, "next", ("q.visits", ""));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("p1", refused.Form("answer").Hidden["page"]);
        AssertProblem(refused, 1, "q1-0", Fi("answer.error.requiredChoice"));
        AssertProblem(refused, 3, "q3", Fi("answer.error.requiredNumber"));
        Assert.False(refused.HasElement("q2-error"));
        // What was given is kept as a draft all the same.
        Assert.Single(Drafts(token));
    }

    public static TheoryData<int, (string, string)[], int, string, string> Problems => new()
    {
        { 1, [("q.uses", "no"), ("q.visits", "60")], 3, "q3", Fi("answer.error.range", 0, 50, " käyntiä") },
        { 1, [("q.uses", "no"), ("q.visits", "kolme")], 3, "q3", Fi("answer.error.number", 0, 50) },
        { 1, [("q.uses", "no"), ("q.visits", "2.5")], 3, "q3", Fi("answer.error.step", 0, 50, 1) },
        { 1, [("q.uses", "yes"), ("q.why", "Koska se on lähellä kotia."), ("q.visits", "2")], 2, "q2", Fi("answer.error.tooLong", 20, 26) },
        { 2, [("q.services", "doc")], 4, "q4-0", Fi("answer.error.tooFew", 2) },
        { 2, [("q.services", "doc"), ("q.services", "nurse"), ("q.services", "lab"), ("q.services", "dental")], 4, "q4-0", Fi("answer.error.tooMany", 3) },
        { 3, [("q.priorities.1", "phone"), ("q.priorities.2", "phone")], 7, "q7-p1", Fi("answer.error.rankDuplicate") },
        { 3, [("q.priorities.1", "phone"), ("q.priorities.2", "")], 7, "q7-p1", Fi("answer.error.rankCount", 2) },
        { 3, [("q.rating.reception", "good")], 8, "q8-r0-0", Fi("answer.error.rowsMissing") },
        { 3, [("q.budget.lab", "5"), ("q.budget.hours", "4"), ("q.budget.phone", "")], 9, "q9-o0", Fi("answer.error.voucherTotal", 10, 9) },
        { 3, [("q.budget.lab", "7"), ("q.budget.hours", "3"), ("q.budget.phone", "")], 9, "q9-o0", Fi("answer.error.cap", "Laboratorio", 6) },
        { 3, [("q.budget.lab", "2"), ("q.budget.hours", "kaksi"), ("q.budget.phone", "")], 9, "q9-o0", Fi("answer.error.budgetNumber") },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task A_wrong_answer_is_named_next_to_its_question_with_what_was_typed_kept(int pageNumber, (string, string)[] fields, int question, string link, string message)
    {
        var (browser, page, _) = await AtPageAsync(pageNumber);

        var refused = await browser.PressAsync(page, "next", fields);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal($"p{pageNumber}", refused.Form("answer").Hidden["page"]);
        AssertProblem(refused, question, link, message);
        foreach (var (name, value) in fields.Where(f => f.Item2.Length > 0))
        {
            Assert.Contains(value, refused.Text, StringComparison.Ordinal);
            Assert.Contains($"name=\"{name}\"", refused.Html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_option_over_its_cap_is_marked_itself()
    {
        var (browser, page, _) = await AtPageAsync(3);

        var refused = await browser.PressAsync(page, "next", ("q.budget.lab", "3"), ("q.budget.hours", "7"), ("q.budget.phone", ""));
        Assert.False(refused.HasElement("q9-error"));
        refused = await browser.PressAsync(page, "next", ("q.budget.lab", "8"), ("q.budget.hours", "2"), ("q.budget.phone", ""));

        Assert.Equal("true", refused.Element("q9-o0")["aria-invalid"]);
        Assert.False(refused.Element("q9-o1").ContainsKey("aria-invalid"));
        Assert.Equal("8", refused.Element("q9-o0")["value"]);
    }

    [Fact]
    public async Task A_page_follows_an_earlier_answer_and_previous_returns_with_the_answers_kept()
    {
        var (browser, page, _) = await AtPageAsync(1);

        var second = await browser.PressAsync(page, "next", Page1Yes);
        Assert.Contains(Fi("answer.progress", 2, 3), second.Text, StringComparison.Ordinal);
        var back = await browser.PressAsync(second, "previous", ("q.services", "nurse"), ("q.services", "dental"));
        var skipping = await browser.PressAsync(back, "next", Page1No);
        var backAgain = await browser.PressAsync(skipping, "previous", Page3);

        Assert.Equal("p2", second.Form("answer").Hidden["page"]);
        Assert.Equal("p1", back.Form("answer").Hidden["page"]);
        Assert.True(IsChecked(back, "q1-0"));
        Assert.Equal("3", back.Element("q3")["value"]);
        Assert.False(back.HasElement("q1-error"));
        // "No" hides page 2: the next page is the last, whose button sends.
        Assert.Equal("p3", skipping.Form("answer").Hidden["page"]);
        Assert.Contains(Fi("answer.progress", 2, 2), skipping.Text, StringComparison.Ordinal);
        Assert.Contains("value=\"submit\"", skipping.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"next\"", skipping.Html, StringComparison.Ordinal);
        Assert.Equal("p1", backAgain.Form("answer").Hidden["page"]);
        Assert.True(IsChecked(backAgain, "q1-1"));
        Assert.False(IsChecked(backAgain, "q1-0"));
    }

    [Fact]
    public async Task Problems_found_at_sending_take_the_resident_to_the_first_page_with_one()
    {
        var (browser, page, _) = await AtPageAsync(1);

        // A post of the last page while page 1 was never answered (a stale or hand-made form).
        var sent = await browser.PressAsync(page, "submit",
        [
            ("page", "p3"), ("qt.uses", ""), ("qt.why", ""), ("qt.visits", ""), ("qt.priorities", "ranking"), ("qt.rating", "matrix"), ("qt.budget", "budget"), .. Page3,
        ]);

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal("p1", sent.Form("answer").Hidden["page"]);
        AssertProblem(sent, 1, "q1-0", Fi("answer.error.requiredChoice"));
        AssertProblem(sent, 3, "q3", Fi("answer.error.requiredNumber"));
    }

    [Fact]
    public async Task The_pages_work_without_javascript()
    {
        var (_, page, _) = await AtPageAsync(1);

        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"<form method=""post"" action=""/answer""[^>]*novalidate", page.Html);
        Assert.True(page.Form("answer").Hidden.ContainsKey("__RequestVerificationToken"));
        // Every button is a submit button of the form; none needs a script.
        Assert.All(Regex.Matches(page.Html, "<button[^>]*>").Select(m => m.Value), b => Assert.Contains("type=\"submit\"", b, StringComparison.Ordinal));
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"", page.Html, StringComparison.Ordinal);
    }
}
