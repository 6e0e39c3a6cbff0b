using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.SurveyResults;

/// <summary>
/// Survey results in the real Reporting behind a <see cref="LiveGatewayHost"/>: a survey with every question type and
/// its answer sets, published on the shared bus as Surveys publishes them (approved, answered, closed, all answers in,
/// perhaps results published). Each call makes a survey of its own, so tests sharing the services stay independent.
/// </summary>
public static class ResultsData
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public static Dictionary<string, string> T(string fi, string sv, string en) => new() { ["fi"] = fi, ["sv"] = sv, ["en"] = en };

    private static SurveyChoiceSnapshot C(string id, Dictionary<string, string>? label = null) => new(id, label ?? new() { ["fi"] = id }, null);

    private static SurveyQuestionSnapshot Q(string id, string type, Dictionary<string, string> text, IReadOnlyList<SurveyChoiceSnapshot>? options = null,
        IReadOnlyList<SurveyChoiceSnapshot>? rows = null, IReadOnlyList<SurveyChoiceSnapshot>? scale = null,
        int? rankCount = null, int? vouchers = null, decimal? min = null, decimal? max = null) =>
        new(id, type, text, false, null, options ?? [], rows ?? [], scale ?? [], null, null, rankCount, vouchers, min, max, null, null,
            type == "free-text" ? 500 : null);

    /// <summary>The home care survey's questions: one of each type, labelled in Finnish and English (Swedish where the pages show it).</summary>
    public static readonly IReadOnlyList<SurveyQuestionSnapshot> Questions =
    [
        Q("q-single", "single-choice", T("Kuinka tyytyväinen olet kotihoitoon?", "Hur nöjd är du med hemvården?", "How satisfied are you with home care?"),
            options: [C("a", T("Erittäin tyytyväinen", "Mycket nöjd", "Very satisfied")), C("b", T("Melko tyytyväinen", "Ganska nöjd", "Fairly satisfied")), C("c", T("Tyytymätön", "Missnöjd", "Dissatisfied")),
                C("d", T("En osaa sanoa", "Kan inte säga", "Cannot say"))]),
        Q("q-multi", "multiple-choice", T("Mitä palveluja käytät?", "Vilka tjänster använder du?", "Which services do you use?"), options: [C("x"), C("y"), C("z")]),
        Q("q-likert", "likert", T("Käynnit ovat riittävän pitkiä.", "Besöken är tillräckligt långa.", "Visits are long enough."),
            scale: [.. Enumerable.Range(1, 5).Select(i => C(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))], min: 1, max: 5),
        Q("q-nps", "nps", T("Suosittelisitko kotihoitoa?", "Skulle du rekommendera hemvården?", "Would you recommend home care?"), scale: [C("0"), C("10")], min: 0, max: 10),
        Q("q-number", "number", T("Montako käyntiä viikossa?", "Hur många besök i veckan?", "How many visits a week?"), min: 0, max: 100),
        Q("q-text", "free-text", T("Mitä haluat sanoa?", "Vad vill du säga?", "What would you like to say?")),
        Q("q-rank", "ranking", T("Järjestä tärkeysjärjestykseen", "Rangordna", "Rank by importance"), options: [C("r1"), C("r2"), C("r3")], rankCount: 3),
        Q("q-matrix", "matrix", T("Arvioi kotihoitoa", "Bedöm hemvården", "Rate home care"),
            rows: [C("m1", T("Hoitajien ystävällisyys", "Vårdarnas vänlighet", "Friendliness of nurses")), C("m2", T("Aikataulujen pitävyys", "Tidtabellerna hålls", "Keeping to schedule"))],
            scale: [C("s1", T("Huono", "Dålig", "Poor")), C("s2", T("Kohtalainen", "Måttlig", "Fair")), C("s3", T("Hyvä", "Bra", "Good"))]),
        Q("q-budget", "budget", T("Jaa 10 seteliä", "Fördela 10 sedlar", "Share 10 vouchers"), options: [C("b1", T("Puistot", "Parker", "Parks")), C("b2", T("Kirjastot", "Bibliotek", "Libraries"))], vouchers: 10),
    ];

    /// <summary>A survey's texts (title, purpose, use of results) and where it belongs.</summary>
    public sealed record Survey(string Area, Dictionary<string, string> Title, Dictionary<string, string> Purpose, Dictionary<string, string> ResultsUse, int K = 5);

    public static Survey HomeCare(string area = "elderly-services") => new(area,
        T("Kotihoidon kysely", "Hemvårdsenkät", "Home care survey"),
        T("Selvitämme kotihoidon asiakkaiden kokemuksia.", "Vi utreder hemvårdskundernas erfarenheter.", "We study the experiences of home care clients."),
        T("Tulokset ohjaavat käyntiaikojen suunnittelua.", "Resultaten styr planeringen av besökstiderna.", "The results guide the planning of visit times."));

    public static Survey FamilyServices(string area = "family-services") => new(area,
        T("Perhepalvelujen kysely", "Familjeservice", "Family services survey"),
        T("Halusimme tietää, miten perhepalvelut toimivat.", "Vi ville veta hur familjeservicen fungerar.", "We wanted to know how family services work."),
        T("Tulokset ohjaavat neuvoloiden aukioloaikoja.", "Resultaten styr rådgivningarnas öppettider.", "The results guide the opening hours of child health clinics."));

    /// <summary>One answer set to every question but the free text (its survey id is set when seeded), from a panel member.</summary>
    public static ResponseSubmitted Answer(
        string ageBand, string language, string municipality, string single, string[] multi, int likert, int nps, decimal number,
        string[] rank, string m1, string m2, int b1, string? text = null, string channel = "invitation")
    {
        List<AnswerSnapshot> answers =
        [
            new("q-single", "single-choice", [single], null, null, null, null),
            new("q-multi", "multiple-choice", multi, null, null, null, null),
            new("q-likert", "likert", null, likert, null, null, null),
            new("q-nps", "nps", null, nps, null, null, null),
            new("q-number", "number", null, number, null, null, null),
            new("q-rank", "ranking", rank, null, null, null, null),
            new("q-matrix", "matrix", null, null, null, new Dictionary<string, string> { ["m1"] = m1, ["m2"] = m2 }, null),
            new("q-budget", "budget", null, null, null, null, new Dictionary<string, int> { ["b1"] = b1, ["b2"] = 10 - b1 }),
        ];
        if (text is not null)
        {
            answers.Add(new("q-text", "free-text", null, null, text, null, null));
        }

        return new(Guid.Empty, 1, DateOnly.FromDateTime(DateTime.UtcNow), channel,
            channel == "open-link" ? null : new ProfileSnapshot(ageBand, municipality, "woman", language, true), answers);
    }

    /// <summary>
    /// The home care survey's 177 panel answer sets and 3 by its open link. Every option, scale point and rank is chosen
    /// by someone, so every 0 on a page would be a filled-in value. Ages 65-74 (100, Tampere), 75-84 (60, Orivesi),
    /// 85+ (3 in Swedish and 3 in English, Virrat: options c and d, and the only 3 rating m2 s1) and 55-64 (11, Nokia, one of
    /// each NPS score); 68 free texts, 3 with a phone number.
    /// </summary>
    public static IEnumerable<ResponseSubmitted> HomeCareAnswers()
    {
        var all = new List<ResponseSubmitted>();
        all.AddRange(Times(100, Answer("65-74", "fi", "Tampere", "a", ["x", "y"], 4, 9, 40, ["r1", "r2", "r3"], "s3", "s3", 6)));
        all.AddRange(Times(60, Answer("75-84", "fi", "Orivesi", "b", ["y"], 3, 10, 44, ["r2", "r1", "r3"], "s2", "s2", 4, "Käynnit ovat liian lyhyitä.")));
        all.AddRange(Times(3, Answer("85+", "sv", "Virrat", "c", ["z"], 5, 6, 50, ["r3", "r2", "r1"], "s1", "s1", 5, "Soittakaa numeroon 040 1234567.")));
        all.AddRange(Times(3, Answer("85+", "en", "Virrat", "d", ["x"], 2, 7, 30, ["r2", "r3", "r1"], "s1", "s2", 3)));
        for (var i = 0; i <= 10; i++)
        {
            all.Add(Answer("55-64", "fi", "Nokia", "a", ["x"], (i % 5) + 1, i, 20 + i, i % 2 == 0 ? ["r1", "r3", "r2"] : ["r3", "r1", "r2"],
                $"s{(i % 3) + 1}", $"s{(i % 2) + 2}", i, i < 5 ? "Hoitajat ovat ystävällisiä." : null));
        }

        all.AddRange(Times(3, Answer("", "", "", "a", ["x"], 4, 9, 40, ["r1", "r2", "r3"], "s3", "s3", 6, channel: "open-link")));
        return all;
    }

    /// <summary><paramref name="count"/> copies of an answer set.</summary>
    public static IEnumerable<ResponseSubmitted> Times(int count, ResponseSubmitted answer) => Enumerable.Repeat(answer, count);

    /// <summary>
    /// Publishes a new survey's approval and answer sets on the shared bus as Surveys does, then (unless
    /// <paramref name="closed"/> is false) its closing and that all answers are in, and (if <paramref name="published"/>) its
    /// published results; waits until Reporting has applied everything and returns the survey's id.
    /// </summary>
    public static async Task<Guid> SeedSurveyAsync(this LiveGatewayHost host, Survey survey, IEnumerable<ResponseSubmitted> answers, bool closed = true, bool published = false)
    {
        var id = Guid.NewGuid();
        var responses = answers.Select(a => a with { SurveyId = id }).ToList();
        var bus = host.Reporting.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        var definition = new SurveyDefinitionSnapshot("questionnaire", survey.Area, survey.K, ["fi", "sv", "en"], survey.Title, survey.Purpose, survey.ResultsUse,
            [new SurveyPageSnapshot("p1", null, null, Questions)]);
        await bus.Publish(new SurveyApproved(id, 1, definition, null, now.AddDays(-20), now.AddDays(-1), now.AddDays(-21)));
        await host.UntilStageAsync(id, 1);
        foreach (var chunk in responses.Chunk(ResponsesSubmitted.MaxResponses))
        {
            await bus.Publish(new ResponsesSubmitted(id, chunk));
        }

        await Eventually.UntilAsync(
            () => host.Reporting.Database.ScalarAsync<long>(
                "SELECT coalesce(sum(respondents), 0)::bigint FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = 'channel' AND question_id = '#'", id),
            n => n == responses.Count, Wait, $"{responses.Count} answer sets counted");
        if (!closed)
        {
            return id;
        }

        await bus.Publish(new SurveyClosed(id, false, now.AddDays(-1)));
        await bus.Publish(new SurveyAnswersFinalized(id, responses.Count, now));
        await Eventually.UntilAsync(
            () => host.Reporting.Database.ScalarAsync<long>("SELECT coalesce(final_responses, -1)::bigint FROM results_surveys WHERE survey_id = @p0", id),
            n => n == responses.Count, Wait, "the answers final");
        await host.UntilStageAsync(id, 3);
        if (published)
        {
            await bus.Publish(new SurveyResultsPublished(id, 1, survey.Area, survey.K, survey.Title, survey.Purpose, survey.ResultsUse, now));
            await host.UntilStageAsync(id, 4);
        }

        return id;
    }

    /// <summary>Days of a survey's response funnel (each day's new invitations, opens and answers), as Reporting counted them on those days.</summary>
    public static async Task SeedFunnelAsync(this LiveGatewayHost host, Guid surveyId, params (DateOnly Day, int Invited, int Opened, int Answered)[] days)
    {
        foreach (var (day, invited, opened, answered) in days)
        {
            await host.Reporting.Database.ScalarAsync<int>(
                "INSERT INTO survey_funnel_days (survey_id, day, invited, opened, answered) VALUES (@p0, @p1, @p2, @p3, @p4) RETURNING 1",
                surveyId, day, (long)invited, (long)opened, (long)answered);
        }
    }

    private static Task UntilStageAsync(this LiveGatewayHost host, Guid id, int stage) =>
        Eventually.UntilAsync(
            () => host.Reporting.Database.ScalarAsync<long>("SELECT coalesce(max(stage), 0)::bigint FROM results_surveys WHERE survey_id = @p0", id),
            s => s >= stage, Wait, $"the survey at stage {stage}");
}
