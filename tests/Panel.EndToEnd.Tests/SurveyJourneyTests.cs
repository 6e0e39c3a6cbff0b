using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Panel.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// Issue 4's whole survey journey against the real processes, in a browser: a survey author builds a survey with every
/// question type; a domain contact comments in review and the author sees it; the coordinator approves it and the
/// service's clock opens it; Membership invites the target group by email (real SMTP); residents answer from their
/// emailed links, page by page (one saves and resumes); staff enter an assisted answer; only those who did not answer
/// are reminded; results add up to what was answered, with a small group suppressed; communications publishes them and
/// anyone sees them without signing in. Every page is checked with axe and shot at phone and desktop width.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed partial class SurveyJourneyTests(PanelSystem system, ITestOutputHelper output)
{
    private const string Area = "health-centres";
    private const string AgeBand = "35-44";

    /// <summary>Municipalities no other test puts members in, so the target group is exactly the members made here.</summary>
    private static readonly (string Municipality, int Members, int Answering)[] Groups =
    [
        ("Nokia", 12, 11),
        ("Ylöjärvi", 7, 6),
        // Six members (shown in the panel's own tables), three of whom answer: a group the results must hide.
        ("Pirkkala", 6, 3),
    ];

    private static readonly Dictionary<string, string> Title = new()
    {
        ["fi"] = "Terveysasemien ilta-ajat",
        ["sv"] = "Hälsostationernas kvällstider",
        ["en"] = "Evening hours at health centres",
    };

    private static readonly Dictionary<string, string> Purpose = new()
    {
        ["fi"] = "Selvitämme, milloin asukkaat tarvitsisivat terveysaseman palveluja iltaisin.",
        ["sv"] = "Vi tar reda på när invånarna behöver hälsostationens tjänster på kvällen.",
        ["en"] = "We find out when residents would need health centre services in the evening.",
    };

    private static readonly Dictionary<string, string> ResultsUse = new()
    {
        ["fi"] = "Tulosten perusteella päätetään iltavastaanottojen aukioloajoista syksyllä.",
        ["sv"] = "Utifrån resultaten bestäms kvällsmottagningarnas öppettider i höst.",
        ["en"] = "The results decide the opening hours of evening appointments this autumn.",
    };

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    private sealed record Member(string Email, string Municipality, string Language, bool Answers);

    [Fact]
    public async Task A_survey_built_in_the_browser_is_reviewed_approved_answered_by_invitation_reminded_and_its_results_published()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var password = $"Journey-{run}-Pw1!";
        var comment = $"Please say in the purpose which health centres are meant ({run}).";

        // --- Staff accounts, made by the IT administrator on /staff/accounts ----------------------------------------
        var (adminContext, admin) = await StaffPages.SignedInAsync(system);
        await using var _ = adminContext;
        var authorEmail = $"author-{run}@county.example.fi";
        var contactEmail = $"contact-{run}@county.example.fi";
        var communicationsEmail = $"communications-{run}@county.example.fi";
        await StaffAccountPages.CreateAsync(system, admin, authorEmail, "Aino Author", password, ["SurveyAuthor"]);
        await StaffPages.AssertAccessibleAsync(admin, "staff accounts after creating one");
        await StaffAccountPages.CreateAsync(system, admin, contactEmail, "Dani Contact", password, ["DomainContact"], [Area]);
        await StaffAccountPages.CreateAsync(system, admin, communicationsEmail, "Cai Communications", password, ["Communications"]);
        Log("staff accounts created");

        // --- The panel members of the target group: joined, verified by email, consented ------------------------
        var members = await JoinMembersAsync();
        Log($"{members.Count} members joined and verified");

        // --- The author builds the survey ----------------------------------------------------------------------------
        var (authorContext, author) = await StaffAccountPages.SignedInAsync(system, authorEmail, password);
        await using var __ = authorContext;
        var surveyId = await BuildSurveyAsync(author, members.Count);
        Log("survey built");

        await author.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Expect(author.Locator("#done")).ToHaveTextAsync("The survey was submitted for review.");
        await Expect(author.Locator("#survey-state")).ToHaveTextAsync("In review");

        // --- A domain contact of the area comments in review; the author sees the comment ------------------------
        {
            var (contactContext, contact) = await StaffAccountPages.SignedInAsync(system, contactEmail, password);
            await using var ___ = contactContext;
            await contact.GotoAsync($"/staff/surveys/{surveyId}/review");
            await contact.Locator("#comment").FillAsync(comment);
            await contact.GetByRole(AriaRole.Button, new() { Name = "Add comment" }).ClickAsync();
            await Expect(contact.Locator("#done")).ToHaveTextAsync("The comment was saved.");
            await Expect(contact.Locator("#reviews")).ToContainTextAsync(comment);
            await StaffPages.AssertAccessibleAsync(contact, "review page after a comment");
            await StaffPages.ShootAsync(system, contact, "survey-review");
        }

        await author.GotoAsync($"/staff/surveys/{surveyId}/review");
        await Expect(author.Locator("#reviews .review-comment")).ToHaveTextAsync(comment);
        await Expect(author.Locator("#reviews")).ToContainTextAsync("Dani Contact");
        await StaffPages.AssertAccessibleAsync(author, "review page as the author");
        Log("reviewed");

        // --- The coordinator approves; the service's clock opens it at the opening time -----------------------------
        var county = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");
        // To the second, as the form sends it: with the milliseconds, a survey opened in the same second as its
        // opening time would look early.
        var opensAt = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddSeconds(12), county);
        opensAt = opensAt.AddTicks(-(opensAt.Ticks % TimeSpan.TicksPerSecond));
        var closesAt = opensAt.AddDays(1);
        await admin.GotoAsync($"/staff/surveys/{surveyId}/review");
        await Expect(admin.Locator("#reviews")).ToContainTextAsync(comment);
        await admin.Locator("#opensAt").FillAsync(opensAt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        await admin.Locator("#closesAt").FillAsync(closesAt.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await admin.Locator("#approveComment").FillAsync("Approved for the spring round.");
        await StaffPages.AssertAccessibleAsync(admin, "review page as the coordinator, before approving");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(admin.Locator("#done")).ToHaveTextAsync("The survey was approved and scheduled.");
        await Expect(admin.Locator("#survey-state")).ToHaveTextAsync("Approved, scheduled");
        Assert.True(DateTimeOffset.UtcNow < opensAt, "the approval took so long that the opening time had passed; the clock would not be what opened it");
        await StaffPages.AssertAccessibleAsync(admin, "review page after approval");
        await StaffPages.ShootAsync(system, admin, "survey-approved");

        await Eventually.UntilAsync(
            async () =>
            {
                await admin.GotoAsync($"/staff/surveys/{surveyId}");
                return await admin.Locator("#survey-state").InnerTextAsync();
            },
            state => state == "Open", TimeSpan.FromSeconds(60), "the survey clock to open the survey");
        Assert.True(DateTimeOffset.UtcNow >= opensAt, "the survey opened before its opening time");
        Log("opened by the clock");

        // --- Invitations over SMTP, in each member's language -------------------------------------------------------
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var mails = await system.Mail.WaitForMessagesToAsync(member.Email, 2, StaffPages.MailTimeout);
            var invitation = mails[1];
            Assert.Contains(Title[member.Language], invitation.TextBody, StringComparison.Ordinal);
            links[member.Email] = AnswerLink(invitation);
        }

        Assert.Equal(members.Count, links.Values.Distinct(StringComparer.Ordinal).Count());
        Log("invitations received");

        // An invitation email leaves Membership only after Surveys acknowledged storing its hash: every link works
        // the moment its email arrives, with no wait.
        Assert.Equal(members.Count, await system.Database(ServiceNames.Surveys).ScalarAsync<long>(
            "SELECT count(*) FROM invitations WHERE survey_id = @p0", surveyId));

        // --- Residents answer from their links, page by page -------------------------------------------------------
        var answering = members.Where(m => m.Answers).ToList();
        Assert.Equal(20, answering.Count);
        var answers = answering.Select((m, i) => (Member: m, Answers: SurveyAnswers.For(i))).ToList();
        // The first one looks at every page (axe, screenshots, phone width); the second saves and resumes; the rest go
        // through the same pages, most without JavaScript (the pages need none). Each in a browser context of its own,
        // four at a time: the first two start first and the others answer beside them.
        using (var gate = new SemaphoreSlim(4))
        {
            async Task Gated(Func<Task> answer)
            {
                await gate.WaitAsync();
                try
                {
                    await answer();
                }
                finally
                {
                    gate.Release();
                }
            }

            await Task.WhenAll(answers.Skip(2).Select((a, i) => (Func<Task>)(() => AnswerAsync(a.Member, links[a.Member.Email], a.Answers, inspect: false, javaScript: i < 3)))
                .Prepend(() => AnswerWithSaveAndResumeAsync(answering[1], links[answering[1].Email], answers[1].Answers))
                .Prepend(() => AnswerAsync(answering[0], links[answering[0].Email], answers[0].Answers, inspect: true, javaScript: true))
                .Select(Gated));
        }

        Log("20 residents answered");

        // An answered link cannot answer again.
        {
            await using var again = await system.NewContextAsync();
            var page = await again.NewPageAsync();
            await page.GotoAsync(links[answering[0].Email]);
            await Expect(page.Locator("main [role=alert]")).ToBeVisibleAsync();
            await Expect(page.Locator("input[type=hidden][name=page]")).ToHaveCountAsync(0);
        }

        // --- A coordinator enters an answer given with staff help (the resident's coarse profile, no name) --------
        var assisted = SurveyAnswers.For(20);
        await admin.GotoAsync($"/staff/surveys/{surveyId}/assisted");
        await admin.Locator("#channel-assisted").CheckAsync();
        await admin.Locator("#profile-ageBand").SelectOptionAsync(AgeBand);
        await admin.Locator("#profile-municipality").SelectOptionAsync("Nokia");
        await admin.Locator("#profile-language").SelectOptionAsync("fi");
        await assisted.FillAsync(admin);
        await StaffPages.AssertAccessibleAsync(admin, "assisted answer form, filled in");
        await StaffPages.ShootAsync(system, admin, "survey-assisted");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save the answer" }).ClickAsync();
        await Expect(admin.Locator("#saved")).ToContainTextAsync("The answer was saved");
        await StaffPages.AssertAccessibleAsync(admin, "assisted answer saved");
        var all = answers.Select(a => a.Answers).Append(assisted).ToList();
        Log("assisted answer entered");

        // --- Reminders: a day passes (the invitations' times moved back); only those who did not answer get one -----
        var membership = system.MembershipDatabase;
        await Eventually.UntilAsync(
            () => membership.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND answered", surveyId),
            n => n == answering.Count, TimeSpan.FromSeconds(60), "Membership to learn which invitations were answered");
        await admin.GotoAsync($"/staff/surveys/{surveyId}");
        // Progress shows counts through the disclosure-control engine (hidden below k, rounded to 5): its note says so;
        // the exact counts are checked in Membership's database below.
        await Expect(admin.Locator("#progress-note")).ToBeVisibleAsync();
        await StaffPages.AssertAccessibleAsync(admin, "builder page with progress");
        await StaffPages.ShootAsync(system, admin, "survey-open-progress");

        Assert.Equal(members.Count, await membership.ScalarAsync<long>(
            "WITH moved AS (UPDATE invitations SET invited_at = invited_at - interval '2 days' WHERE survey_id = @p0 RETURNING 1) SELECT count(*) FROM moved",
            surveyId));
        var silent = members.Where(m => !m.Answers).ToList();
        foreach (var member in silent)
        {
            var mails = await system.Mail.WaitForMessagesToAsync(member.Email, 3, TimeSpan.FromSeconds(60));
            var reminder = mails[2];
            Assert.Equal(links[member.Email], AnswerLink(reminder));
            Assert.Contains(Title[member.Language], reminder.TextBody, StringComparison.Ordinal);
        }

        // One reminder at most: with the last reminder also a day back, the job (every 2 s) still sends no second one.
        await membership.ScalarAsync<long>(
            "WITH moved AS (UPDATE invitations SET last_reminder_at = last_reminder_at - interval '2 days' WHERE survey_id = @p0 AND last_reminder_at IS NOT NULL RETURNING 1) SELECT count(*) FROM moved",
            surveyId);
        var watchUntil = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (DateTime.UtcNow < watchUntil)
        {
            foreach (var member in members)
            {
                var expected = member.Answers ? 2 : 3;
                var count = system.Mail.MessagesTo(member.Email).Count;
                Assert.True(count == expected,
                    $"{(member.Answers ? "an answerer" : "a non-answerer")} ({member.Municipality}, {member.Language}) got {count} emails, not {expected} (verification, invitation{(member.Answers ? "" : ", one reminder")})");
            }

            await Task.Delay(500);
        }

        Assert.Equal(silent.Count, await membership.ScalarAsync<long>(
            "SELECT count(*) FROM invitations WHERE survey_id = @p0 AND reminders_queued = 1 AND NOT answered", surveyId));
        Assert.Equal(0, await membership.ScalarAsync<long>(
            "SELECT count(*) FROM invitations WHERE survey_id = @p0 AND reminders_queued > 0 AND answered", surveyId));
        Log($"reminders: {silent.Count} sent, none to answerers");

        // --- The coordinator closes the survey; the results add up to the answers, the small group hidden ------------
        await admin.GotoAsync($"/staff/surveys/{surveyId}");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Close the survey now" }).ClickAsync();
        await Expect(admin.Locator("#done")).ToHaveTextAsync("The survey was closed.");
        await Expect(admin.Locator("#survey-state")).ToHaveTextAsync("Closed");

        var results = await Eventually.UntilAsync(
            () => GetJsonAsync(admin, $"/api/reporting/surveys/{surveyId}/results"),
            r => Panel(r).TryGetProperty("respondents", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt64() == all.Count,
            TimeSpan.FromSeconds(90), $"Reporting to count the {all.Count} answers");
        AssertResults(Panel(results), all);
        // The funnel counts only days that have ended (a count watched while it moves would give its exact value when it
        // reaches a multiple of 5): today's invitations are not in it yet.
        Assert.Equal(JsonValueKind.Null, results.GetProperty("invitations").GetProperty("invited").ValueKind);
        Log("results counted");

        // Breakdowns by profile show once Surveys told Reporting that every answer is in (SurveyAnswersFinalized, after the
        // closing release); before that a filter is all hidden.
        await Eventually.UntilAsync(
            () => GetJsonAsync(admin, $"/api/reporting/surveys/{surveyId}/results?municipality=Nokia"),
            r => r.GetProperty("breakdownsFinal").GetBoolean(), TimeSpan.FromSeconds(60), "the answers to be final");
        var pirkkala = await GetJsonAsync(admin, $"/api/reporting/surveys/{surveyId}/results?municipality=Pirkkala");
        Assert.True(Panel(pirkkala).GetProperty("suppressed").GetBoolean(), Panel(pirkkala).ToString());
        Assert.Equal(JsonValueKind.Null, Panel(pirkkala).GetProperty("respondents").ValueKind);
        var nokia = await GetJsonAsync(admin, $"/api/reporting/surveys/{surveyId}/results?municipality=Nokia");
        // The profiles stored with answers are k-anonymous: to keep Pirkkala's three from standing out, the municipality of
        // some other answers may be withheld ("not known"), so Nokia counts at most its own answers, and only k or more.
        var nokiaRespondents = Panel(nokia).GetProperty("respondents");
        if (nokiaRespondents.ValueKind == JsonValueKind.Number)
        {
            Assert.InRange(nokiaRespondents.GetInt64(), 5, Groups[0].Answering + 1);
        }
        var byMunicipality = await GetJsonAsync(admin, $"/api/reporting/surveys/{surveyId}/crosstab?question=q1&by=municipality");
        var panelCrosstab = byMunicipality.GetProperty("audiences").EnumerateArray().Single(a => a.GetProperty("audience").GetString() == "panel");
        var rows = panelCrosstab.GetProperty("rows").EnumerateArray().ToList();
        // Pirkkala's three answers may be stored with the municipality withheld (k-anonymous profiles), so its row may not
        // be there; where it is, it is hidden. No row shows a count of 1 to 4.
        var pirkkalaRow = rows.SingleOrDefault(r => r.GetProperty("value").GetString() == "Pirkkala");
        if (pirkkalaRow.ValueKind == JsonValueKind.Object)
        {
            Assert.True(pirkkalaRow.GetProperty("suppressed").GetBoolean(), pirkkalaRow.ToString());
            Assert.Equal(JsonValueKind.Null, pirkkalaRow.GetProperty("respondents").ValueKind);
        }

        Assert.DoesNotContain(rows, r => r.GetProperty("respondents") is { ValueKind: JsonValueKind.Number } n && n.GetInt64() is > 0 and < 5);
        // Complementary suppression: the total minus the rows shown does not give Pirkkala's count away.
        var shownTotal = panelCrosstab.GetProperty("total").GetProperty("respondents");
        var hiddenRows = rows.Count(r => r.GetProperty("respondents").ValueKind == JsonValueKind.Null);
        if (shownTotal.ValueKind == JsonValueKind.Number && hiddenRows > 0)
        {
            Assert.True(hiddenRows >= 2, byMunicipality.ToString());
        }

        await admin.GotoAsync($"/staff/results/{surveyId}");
        await Expect(admin.Locator("h1")).ToHaveTextAsync(Title["en"]);
        await Expect(admin.Locator("main strong.respondents").First).ToHaveTextAsync(all.Count.ToString(CultureInfo.InvariantCulture));
        await AssertQuestionTextsAsync(admin, "staff results");
        await StaffPages.AssertAccessibleAsync(admin, "staff results");
        await StaffPages.ShootAsync(system, admin, "survey-results-staff");
        await admin.GotoAsync($"/staff/results/{surveyId}?municipality=Pirkkala");
        await Expect(admin.Locator("main")).ToContainTextAsync("This group's results are hidden to protect anonymity.");
        await StaffPages.AssertAccessibleAsync(admin, "staff results filtered to a small group");
        await StaffPages.ShootAsync(system, admin, "survey-results-staff-small-group");

        // --- Communications publishes; anyone sees the results without signing in --------------------------------
        using var anonymous = system.Gateway();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/reporting/public/surveys/{surveyId}")).StatusCode);
        {
            var (communicationsContext, communications) = await StaffAccountPages.SignedInAsync(system, communicationsEmail, password);
            await using var ____ = communicationsContext;
            await communications.GotoAsync($"/staff/surveys/{surveyId}");
            await communications.GetByRole(AriaRole.Button, new() { Name = "Publish results" }).ClickAsync();
            await Expect(communications.Locator("#done")).ToHaveTextAsync("The results were published.");
            await Expect(communications.Locator("#survey-state")).ToHaveTextAsync("Results published");
            await StaffPages.AssertAccessibleAsync(communications, "builder page after publishing, as communications");
        }

        var published = await Eventually.UntilAsync(
            async () =>
            {
                var response = await anonymous.GetAsync($"/api/reporting/public/surveys/{surveyId}");
                return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement : (JsonElement?)null;
            },
            r => r is not null, TimeSpan.FromSeconds(60), "the public results to appear");
        Assert.Equal(all.Count, Panel(published!.Value).GetProperty("respondents").GetInt64());
        AssertResults(Panel(published.Value), all, withTexts: false);
        Assert.Equal(ResultsUse["en"], published.Value.GetProperty("resultsUse").GetProperty("en").GetString());

        await using var publicContext = await system.NewContextAsync();
        var visitor = await publicContext.NewPageAsync();
        await Residents.ChooseLanguageAsync(visitor, "en");
        await visitor.GotoAsync($"/results/{surveyId}");
        await Expect(visitor.Locator("h1")).ToHaveTextAsync(Title["en"]);
        await Expect(visitor.Locator("main")).ToContainTextAsync(ResultsUse["en"]);
        await Expect(visitor.Locator("main strong.respondents").First).ToHaveTextAsync(all.Count.ToString(CultureInfo.InvariantCulture));
        await AssertQuestionTextsAsync(visitor, "public results");
        await StaffPages.AssertAccessibleAsync(visitor, "public results");
        await StaffPages.ShootAsync(system, visitor, "survey-results-public");
        await visitor.SetViewportSizeAsync(375, 812);
        await StaffPages.AssertFitsPhoneAsync(visitor, "public results");
        await visitor.GotoAsync("/results");
        await Expect(visitor.Locator($"main a[href='/results/{surveyId}']")).ToBeVisibleAsync();
        await StaffPages.AssertAccessibleAsync(visitor, "public results list");
        Log("published");
    }

    /// <summary>Joins and verifies every member of <see cref="Groups"/> through the public API; a few speak Swedish or English.</summary>
    private async Task<List<Member>> JoinMembersAsync()
    {
        using var gateway = system.Gateway();
        var members = new List<Member>();
        foreach (var (municipality, count, answering) in Groups)
        {
            for (var i = 0; i < count; i++)
            {
                var language = (members.Count % 6) switch { 1 => "en", 4 => "sv", _ => "fi" };
                var email = Residents.NewEmail("journey");
                await StaffPages.JoinAsync(gateway, email, municipality, Residents.BirthYear, language: language);
                members.Add(new Member(email, municipality, language, Answers: i < answering));
            }
        }

        await Task.WhenAll(members.Select(m => StaffPages.VerifyAsync(system, gateway, m.Email)));
        // Answerers first in the list order the test answers in: the first answerer is English-speaking and inspected.
        return [.. members.OrderByDescending(m => m.Answers).ThenBy(m => m.Language == "en" ? 0 : 1)];
    }

    /// <summary>Builds the survey on the staff pages as the author; leaves the page on the builder and answers the survey's id.</summary>
    private async Task<Guid> BuildSurveyAsync(IPage page, int targetSize)
    {
        await page.GotoAsync("/staff/surveys");
        await StaffPages.AssertAccessibleAsync(page, "survey list");
        await StaffPages.ShootAsync(system, page, "survey-list");
        await page.Locator("#title").FillAsync(Title["en"]);
        await page.Locator("#serviceArea").SelectOptionAsync(Area);
        await page.Locator("#kind").SelectOptionAsync("questionnaire");
        foreach (var lang in new[] { "fi", "sv", "en" })
        {
            await page.Locator($"#lang-{lang}").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create survey" }).ClickAsync();
        await page.WaitForURLAsync(SurveyUrlRegex(), Committed);
        var id = Guid.Parse(SurveyUrlRegex().Match(page.Url).Groups[1].Value);

        // Texts in every language: title, purpose, how the results are used.
        foreach (var lang in new[] { "fi", "sv", "en" })
        {
            await page.Locator($"#title-{lang}").FillAsync(Title[lang]);
            await page.Locator($"#purpose-{lang}").FillAsync(Purpose[lang]);
            await page.Locator($"#resultsUse-{lang}").FillAsync(ResultsUse[lang]);
        }

        await page.Locator("section[aria-labelledby=settings-title] button[type=submit]").ClickAsync();
        await Expect(page.Locator("#done")).ToHaveTextAsync("Saved.");
        for (var i = 0; i < 2; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Add page" }).ClickAsync();
            await Expect(page.Locator("#done")).ToHaveTextAsync("The page was added.");
        }

        await Expect(page.Locator("article.survey-page")).ToHaveCountAsync(3);

        // Page 1: single choice, multiple choice (1–2 picks), Likert 5 labelled.
        await AddQuestionAsync(page, "p1", "single-choice", "q1", ("Mihin aikaan kävisit mieluiten?", "När skulle du helst gå?", "When would you rather go?"), async q =>
        {
            await OptionsAsync(q, "opt", ("a1", "Klo 16–18", "Kl. 16–18", "4–6 pm"), ("a2", "Klo 18–20", "Kl. 18–20", "6–8 pm"), ("a3", "Lauantaisin", "På lördagar", "On Saturdays"));
        });
        await AddQuestionAsync(page, "p1", "multiple-choice", "q2", ("Mitä palveluja tarvitset?", "Vilka tjänster behöver du?", "Which services do you need?"), async q =>
        {
            await OptionsAsync(q, "opt", ("m1", "Lääkäri", "Läkare", "Doctor"), ("m2", "Hoitaja", "Skötare", "Nurse"), ("m3", "Laboratorio", "Laboratorium", "Laboratory"));
            await q.Locator("#minPicks").FillAsync("1");
            await q.Locator("#maxPicks").FillAsync("2");
        });
        await AddQuestionAsync(page, "p1", "likert", "q3", ("Nykyiset ajat sopivat minulle.", "De nuvarande tiderna passar mig.", "The current hours suit me."), async q =>
        {
            await q.Locator("#points").SelectOptionAsync("5");
            var labels = new[]
            {
                ("Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree"), ("Jokseenkin eri mieltä", "Delvis av annan åsikt", "Disagree"),
                ("Ei samaa eikä eri mieltä", "Varken eller", "Neither agree nor disagree"), ("Jokseenkin samaa mieltä", "Delvis av samma åsikt", "Agree"),
                ("Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree"),
            };
            for (var i = 0; i < labels.Length; i++)
            {
                await q.Locator($"#lab{i}-fi").FillAsync(labels[i].Item1);
                await q.Locator($"#lab{i}-sv").FillAsync(labels[i].Item2);
                await q.Locator($"#lab{i}-en").FillAsync(labels[i].Item3);
            }
        });

        // Page 2: NPS, number with a range, free text with a maximum length.
        await AddQuestionAsync(page, "p2", "nps", "q4", ("Suosittelisitko terveysasemaasi?", "Skulle du rekommendera din hälsostation?", "Would you recommend your health centre?"), async q =>
        {
            await LangAsync(q, "lowLabel", ("En lainkaan", "Inte alls", "Not at all"));
            await LangAsync(q, "highLabel", ("Erittäin todennäköisesti", "Mycket sannolikt", "Very likely"));
        });
        await AddQuestionAsync(page, "p2", "number", "q5", ("Kauanko matka terveysasemalle kestää?", "Hur länge tar resan till hälsostationen?", "How long does the trip to the health centre take?"), async q =>
        {
            await q.Locator("#min").FillAsync("0");
            await q.Locator("#max").FillAsync("120");
            await LangAsync(q, "unit", ("min", "min", "min"));
        });
        await AddQuestionAsync(page, "p2", "free-text", "q6", ("Mitä muuta haluat sanoa?", "Vad mer vill du säga?", "What else would you like to say?"), async q =>
        {
            await q.Locator("#maxLength").FillAsync("200");
        });

        // Page 3: ranking, matrix, budget allocation (10 vouchers, one option capped at 6).
        await AddQuestionAsync(page, "p3", "ranking", "q7", ("Laita tärkeysjärjestykseen", "Rangordna", "Put in order of importance"), async q =>
        {
            await OptionsAsync(q, "opt", ("k1", "Nopea pääsy", "Snabb tillgång", "Quick access"), ("k2", "Sama lääkäri", "Samma läkare", "The same doctor"), ("k3", "Lyhyt matka", "Kort resa", "A short trip"));
        });
        await AddQuestionAsync(page, "p3", "matrix", "q8", ("Arvioi palvelut", "Bedöm tjänsterna", "Rate the services"), async q =>
        {
            await OptionsAsync(q, "row", ("r1", "Ajanvaraus", "Tidsbokning", "Booking"), ("r2", "Odotus", "Väntan", "Waiting"), ("r3", "Vastaanotto", "Mottagning", "Appointment"));
            await OptionsAsync(q, "scale", ("s1", "Hyvä", "Bra", "Good"), ("s2", "Kohtalainen", "Måttlig", "Fair"), ("s3", "Huono", "Dålig", "Poor"));
        });
        await AddQuestionAsync(page, "p3", "budget", "q9", ("Jaa 10 seteliä", "Fördela 10 sedlar", "Share 10 vouchers"), async q =>
        {
            await OptionsAsync(q, "opt", ("b1", "Iltavastaanotot", "Kvällsmottagningar", "Evening appointments"), ("b2", "Etävastaanotot", "Distansmottagningar", "Remote appointments"), ("b3", "Kotikäynnit", "Hembesök", "Home visits"));
            await q.Locator("#opt0-cap").FillAsync(SurveyAnswers.CapOfFirstBudgetOption.ToString(CultureInfo.InvariantCulture));
            await q.Locator("#vouchers").FillAsync(SurveyAnswers.Vouchers.ToString(CultureInfo.InvariantCulture));
        });

        await Expect(page.Locator("#translations-complete")).ToBeVisibleAsync();
        await StaffPages.AssertAccessibleAsync(page, "survey builder with every question type");
        await StaffPages.ShootAsync(system, page, "survey-builder");

        // Target group: the panel, by age band and municipality, everyone matching sampled; a reminder after a day, at most one.
        await page.GotoAsync($"/staff/surveys/{id}/target-group");
        await page.Locator("#mode-panel").CheckAsync();
        await page.Locator($"input[name=ageBands][value='{AgeBand}']").CheckAsync();
        foreach (var (municipality, _, _) in Groups)
        {
            await page.Locator($"input[name=municipalities][value='{municipality}']").CheckAsync();
        }

        await page.Locator("#sampleSize").FillAsync(targetSize.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#afterDays").FillAsync("1");
        await page.Locator("#maxReminders").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Count matching members" }).ClickAsync();
        // The match count is perturbed and rounded to 5 (cell key, query audit): within 9 of the truth.
        await Expect(page.Locator("#matches")).ToHaveTextAsync(new Regex(@"^\d+ members match\."));
        var shownMatches = int.Parse(Regex.Match(await page.Locator("#matches").InnerTextAsync(), @"^(\d+)").Value, CultureInfo.InvariantCulture);
        Assert.InRange(shownMatches, targetSize - 9, targetSize + 9);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save target group" }).ClickAsync();
        await Expect(page.Locator("#done")).ToHaveTextAsync("The target group was saved.");
        await Expect(page.Locator("#matches")).ToHaveTextAsync(new Regex($@"^{shownMatches} members match\."));
        await StaffPages.AssertAccessibleAsync(page, "target group");
        await StaffPages.ShootAsync(system, page, "survey-target-group");

        await page.GotoAsync($"/staff/surveys/{id}");
        await page.GotoAsync($"/staff/surveys/{id}/preview");
        await Expect(page.Locator("main")).ToContainTextAsync(Title["en"]);
        await StaffPages.AssertAccessibleAsync(page, "survey preview");
        await StaffPages.ShootAsync(system, page, "survey-preview");
        await page.GotoAsync($"/staff/surveys/{id}");
        return id;
    }

    /// <summary>Adds a question from the builder page's "add question" form, fills it in, saves it and checks it is in the builder.</summary>
    private async Task AddQuestionAsync(IPage page, string pageId, string type, string expectedId, (string Fi, string Sv, string En) text, Func<IPage, Task> fill)
    {
        await page.Locator($"#type-{pageId}").SelectOptionAsync(type);
        await page.Locator($"form:has(#type-{pageId}) button[type=submit]").ClickAsync();
        // Committed is enough: the assertion below waits for the editor itself. Waiting for the load event here timed
        // out on a loaded CI machine with the editor's URL reached and the network idle.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.EndsWith("/questions/new", StringComparison.Ordinal), Committed);
        await Expect(page.Locator("main code")).ToHaveTextAsync(expectedId);
        await LangAsync(page, "text", text);
        await fill(page);
        await StaffPages.AssertAccessibleAsync(page, $"question editor ({type})");
        if (type is "likert" or "budget" or "matrix")
        {
            await StaffPages.ShootAsync(system, page, $"survey-question-{type}");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save question" }).ClickAsync();
        await Expect(page.Locator("#done")).ToHaveTextAsync("The question was saved.");
        await Expect(page.Locator($"article.survey-page:has(#page-{pageId}-title) #question-{expectedId}")).ToContainTextAsync(text.En);
    }

    private static async Task LangAsync(IPage page, string name, (string Fi, string Sv, string En) text)
    {
        await page.Locator($"#{name}-fi").FillAsync(text.Fi);
        await page.Locator($"#{name}-sv").FillAsync(text.Sv);
        await page.Locator($"#{name}-en").FillAsync(text.En);
    }

    private static async Task OptionsAsync(IPage page, string name, params (string Id, string Fi, string Sv, string En)[] rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            await page.Locator($"#{name}{i}-id").FillAsync(rows[i].Id);
            await LangAsync(page, $"{name}{i}", (rows[i].Fi, rows[i].Sv, rows[i].En));
        }
    }

    /// <summary>A resident opens their emailed link and answers every page; <paramref name="inspect"/> also checks and shoots each page.</summary>
    private async Task AnswerAsync(Member member, string link, SurveyAnswers answers, bool inspect, bool javaScript)
    {
        await using var context = await system.NewContextAsync(javaScript: javaScript);
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await FinishAsync(page, member, answers, inspect, resumed: false);
    }

    /// <summary>Answers the first two pages, saves for later, comes back by the same link in a new browser and finishes.</summary>
    private async Task AnswerWithSaveAndResumeAsync(Member member, string link, SurveyAnswers answers)
    {
        await using (var first = await system.NewContextAsync())
        {
            var page = await first.NewPageAsync();
            await page.GotoAsync(link);
            // The token is kept out of the address bar.
            await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == "/answer", Committed);
            await Expect(PageField(page)).ToHaveValueAsync("p1");
            await answers.FillAsync(page);
            await page.Locator("button[name=action][value=next]").ClickAsync();
            await Expect(PageField(page)).ToHaveValueAsync("p2");
            await answers.FillAsync(page);
            await page.Locator("button[name=action][value=save]").ClickAsync();
            await Expect(page.Locator("main [role=status]")).ToBeVisibleAsync();
            await Expect(PageField(page)).ToHaveCountAsync(0);
            await StaffPages.AssertAccessibleAsync(page, "answers saved for later");
            await StaffPages.ShootAsync(system, page, "answer-saved");
        }

        await using var second = await system.NewContextAsync();
        var again = await second.NewPageAsync();
        await again.GotoAsync(link);
        await FinishAsync(again, member, answers, inspect: false, resumed: true);
    }

    private async Task FinishAsync(IPage page, Member member, SurveyAnswers answers, bool inspect, bool resumed)
    {
        await page.Locator("form input[type=hidden][name=page], main [role=alert]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        if (await PageField(page).CountAsync() == 0)
        {
            Assert.Fail($"the invitation link showed no answering form but ({page.Url}): {await page.Locator("main").InnerTextAsync()}");
        }

        await Expect(page.Locator("h1")).ToHaveTextAsync(Title[member.Language]);
        var checkedResumed = false;
        for (var step = 0; step < 10; step++)
        {
            var pageId = await PageField(page).InputValueAsync();
            if (resumed && !checkedResumed && pageId is "p1" or "p2")
            {
                Assert.True(await answers.IsShownOnAsync(page), $"the saved answers of {pageId} were not shown after resuming");
                checkedResumed = true;
            }

            await answers.FillAsync(page);
            if (inspect)
            {
                await StaffPages.AssertAccessibleAsync(page, $"answering page {pageId}");
                await StaffPages.ShootAsync(system, page, $"answer-{pageId}");
                await page.SetViewportSizeAsync(375, 812);
                await StaffPages.AssertFitsPhoneAsync(page, $"answering page {pageId}");
                await page.SetViewportSizeAsync(1280, 900);
            }

            var submit = page.Locator("button[name=action][value=submit]");
            if (await submit.CountAsync() > 0)
            {
                await submit.ClickAsync();
                break;
            }

            await page.Locator("button[name=action][value=next]").ClickAsync();
            await Expect(PageField(page)).Not.ToHaveValueAsync(pageId);
            await Expect(page.Locator("#error-summary")).ToHaveCountAsync(0);
        }

        Assert.True(!resumed || checkedResumed, "resuming showed no page with saved answers");
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync(Title[member.Language]);
        await Expect(PageField(page)).ToHaveCountAsync(0);
        if (inspect)
        {
            await Expect(page.Locator("h1")).ToHaveTextAsync("Thank you for your answers!");
            await StaffPages.AssertAccessibleAsync(page, "thank-you page");
            await StaffPages.ShootAsync(system, page, "answer-thanks");
        }
    }

    /// <summary>The results page names questions and options in the reader's language (English here), not by id nor in Finnish.</summary>
    private static async Task AssertQuestionTextsAsync(IPage page, string what)
    {
        var main = page.Locator("main");
        foreach (var text in new[] { "When would you rather go?", "Which services do you need?", "Share 10 vouchers" })
        {
            Assert.True(await main.Locator("h3", new() { HasTextString = text }).CountAsync() > 0, $"{what} has no heading \"{text}\"");
        }

        foreach (var label in new[] { "4–6 pm", "On Saturdays", "Doctor", "Evening appointments" })
        {
            Assert.True(await main.Locator($"th[scope=row]:text-is('{label}')").CountAsync() > 0, $"{what} has no table row \"{label}\"");
        }
    }

    private static ILocator PageField(IPage page) => page.Locator("form input[type=hidden][name=page]");

    /// <summary>Asserts the panel audience's numbers for several questions against what the respondents answered.</summary>
    private static void AssertResults(JsonElement panel, IReadOnlyList<SurveyAnswers> all, bool withTexts = true)
    {
        var n = all.Count;
        var questions = panel.GetProperty("questions").EnumerateArray().ToDictionary(q => q.GetProperty("questionId").GetString()!);
        Assert.Equal(9, questions.Count);
        foreach (var q in questions.Values.Where(q => q.GetProperty("type").GetString() != "free-text" || withTexts))
        {
            Assert.False(q.GetProperty("suppressed").GetBoolean(), $"question {q.GetProperty("questionId")} is suppressed: {q}");
            Assert.Equal(n, q.GetProperty("respondents").GetInt64());
        }

        // Single choice: counts and percentages of respondents.
        AssertCounts(questions["q1"], all.GroupBy(a => a.Single).ToDictionary(g => g.Key, g => g.Count()), n);
        // Multiple choice: each option's pickers.
        AssertCounts(questions["q2"], new[] { "m1", "m2", "m3" }.ToDictionary(o => o, o => all.Count(a => a.Multiple.Contains(o))), n);
        // Likert: counts per point and the mean.
        AssertCounts(questions["q3"], all.GroupBy(a => a.Likert.ToString(CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count()), n);
        Assert.Equal(all.Average(a => a.Likert), questions["q3"].GetProperty("mean").GetDouble(), 2);
        // NPS: promoters 9 (10), passives 5 (8), detractors 7 (3) of 21 → (9 − 7) / 21 = +9.5.
        var promoters = all.Count(a => a.Nps >= 9);
        var detractors = all.Count(a => a.Nps <= 6);
        Assert.Equal(Math.Round((promoters - detractors) * 100.0 / n, 1), questions["q4"].GetProperty("nps").GetDouble(), 1);
        Assert.Equal(9.5, questions["q4"].GetProperty("nps").GetDouble(), 1);
        // Number: mean and median.
        Assert.Equal(all.Average(a => a.Number), questions["q5"].GetProperty("mean").GetDouble(), 2);
        Assert.Equal(all.OrderBy(a => a.Number).ElementAt(n / 2).Number, questions["q5"].GetProperty("median").GetDouble(), 2);
        // Budget: vouchers per option and shares of all vouchers.
        var options = questions["q9"].GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetString()!);
        var totalVouchers = all.Sum(a => a.Budget.Values.Sum());
        Assert.Equal(n * SurveyAnswers.Vouchers, totalVouchers);
        foreach (var option in new[] { "b1", "b2", "b3" })
        {
            var given = all.Sum(a => a.Budget[option]);
            Assert.Equal(given, options[option].GetProperty("total").GetInt64());
            Assert.Equal((double)given / totalVouchers, options[option].GetProperty("share").GetDouble(), 3);
        }

        // Ranking: how often each option was ranked first.
        var ranking = questions["q7"].GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        foreach (var option in new[] { "k1", "k2", "k3" })
        {
            var first = ranking[option].GetProperty("counts").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "1");
            Assert.Equal(all.Count(a => a.Ranking[0] == option), first.GetProperty("value").GetInt64());
        }

        // Matrix: row r1 per scale point.
        var r1 = questions["q8"].GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "r1");
        foreach (var point in new[] { "s1", "s2", "s3" })
        {
            var count = r1.GetProperty("counts").EnumerateArray().Single(c => c.GetProperty("id").GetString() == point);
            Assert.Equal(all.Count(a => a.Matrix["r1"] == point), count.GetProperty("value").GetInt64());
        }

        if (withTexts)
        {
            // Free text: every answer listed, personal data masked.
            var texts = questions["q6"].GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
            Assert.Equal(n, texts.Count);
            Assert.Contains(texts, t => t.StartsWith("Please call me back", StringComparison.Ordinal));
            Assert.DoesNotContain(texts, t => t.Contains("resident.zero@example.com", StringComparison.Ordinal));
        }
    }

    private static void AssertCounts(JsonElement question, IReadOnlyDictionary<string, int> expected, int respondents)
    {
        var counts = question.GetProperty("counts").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        foreach (var (id, count) in counts)
        {
            var want = expected.GetValueOrDefault(id);
            Assert.False(count.GetProperty("suppressed").GetBoolean(), $"{question.GetProperty("questionId")} {id} suppressed");
            Assert.Equal(want, count.GetProperty("value").GetInt64());
            if (want > 0)
            {
                Assert.Equal(Math.Round(want * 100.0 / respondents, 1), count.GetProperty("percent").GetDouble(), 1);
            }
        }

        Assert.All(expected.Keys, id => Assert.True(counts.ContainsKey(id), $"{question.GetProperty("questionId")} has no count for {id}"));
    }

    private static JsonElement Panel(JsonElement results) =>
        results.GetProperty("audiences").EnumerateArray().Single(a => a.GetProperty("audience").GetString() == "panel");

    /// <summary>GET through the gateway with the browser context's staff cookie, as the staff pages' own scripts would.</summary>
    private static async Task<JsonElement> GetJsonAsync(IPage page, string path)
    {
        var response = await page.APIRequest.GetAsync(path);
        var body = await response.TextAsync();
        Assert.True(response.Status == 200, $"GET {path} answered {response.Status}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The invitation link of an invitation or reminder email, as a path and query on the gateway.</summary>
    private static string AnswerLink(MimeMessage message)
    {
        var match = AnswerLinkRegex().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"no /answer?t= link in the email \"{message.Subject}\"");
        return new Uri(match.Value).PathAndQuery;
    }

    private void Log(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    [GeneratedRegex(@"https?://\S+/answer\?t=[A-Za-z0-9_\-%]+")]
    private static partial Regex AnswerLinkRegex();

    [GeneratedRegex(@"/staff/surveys/([0-9a-f\-]{36})$")]
    private static partial Regex SurveyUrlRegex();
}
