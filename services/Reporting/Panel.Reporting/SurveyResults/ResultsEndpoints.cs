using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Privacy;
using Panel.Reporting.Data;
using Panel.ServiceDefaults;

namespace Panel.Reporting.SurveyResults;

/// <summary>A survey whose results the user may see.</summary>
/// <param name="Respondents">Answer sets in all audiences; null when fewer than k.</param>
public sealed record SurveySummary(
    Guid SurveyId, string State, string ServiceArea, IReadOnlyDictionary<string, string> Title, int MinimumGroupSize,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, DateTimeOffset? PublishedAt, long? Respondents);

/// <param name="Invitations">Panel invitations issued and answered (from the funnel), and the response rate.</param>
public sealed record SurveyResultsResponse(
    Guid SurveyId,
    int MinimumGroupSize,
    string State,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Purpose,
    IReadOnlyDictionary<string, string> ResultsUse,
    ResultsFilter? Filter,
    FunnelTotals Invitations,
    IReadOnlyList<AudienceResult> Audiences,
    bool BreakdownsFinal);

/// <param name="Value">The attribute's value ("unknown": not known).</param>
public sealed record CrosstabRow(string Value, long? Respondents, bool Suppressed, QuestionResult Result);

/// <param name="Total">All rows of the cross-tab together (the filtered values, or everyone).</param>
public sealed record CrosstabAudience(string Audience, IReadOnlyList<CrosstabRow> Rows, CrosstabRow Total);

public sealed record CrosstabResponse(
    Guid SurveyId, int MinimumGroupSize, string QuestionId, string Type, IReadOnlyDictionary<string, string> Text, string By,
    ResultsFilter? Filter, IReadOnlyList<CrosstabAudience> Audiences, bool BreakdownsFinal);

public sealed record ReadersRequest(IReadOnlyList<string>? Readers);

public sealed record ReadersResponse(Guid SurveyId, IReadOnlyList<string> Readers);

public sealed record PublicSurveySummary(
    Guid SurveyId, IReadOnlyDictionary<string, string> Title, IReadOnlyDictionary<string, string> Purpose,
    IReadOnlyDictionary<string, string> ResultsUse, DateTimeOffset? PublishedAt);

/// <summary>Published results: the survey's texts and its unfiltered results (no free texts), suppressed as for staff.</summary>
public sealed record PublicSurveyResults(
    Guid SurveyId, IReadOnlyDictionary<string, string> Title, IReadOnlyDictionary<string, string> Purpose,
    IReadOnlyDictionary<string, string> ResultsUse, DateTimeOffset? PublishedAt, int MinimumGroupSize, FunnelTotals Invitations,
    IReadOnlyList<AudienceResult> Audiences);

public static class ResultsEndpoints
{
    public static IEndpointRouteBuilder MapSurveyResultsEndpoints(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/reporting/surveys").WithTags("Survey results").RequireAuthorization(PanelPolicies.Staff);
        staff.MapGet("", List).WithName("ListResultSurveys")
            .WithSummary("The surveys (approved or later) whose results the user may see.");
        staff.MapGet("/{surveyId:guid}/results", GetResults).WithName("GetSurveyResults").AddOpenApiOperationTransformer(ResultsAttributes.DocumentFilter)
            .WithSummary("Per question: respondents, counts and percentages, mean, median, NPS, budget totals and shares, matrix, ranking, free texts; panel and open-link answers apart; small counts suppressed.")
            .WithDescription("Filter by one profile attribute (ageBand, municipality, gender, language, isClient, channel), several values allowed (repeated or comma-separated; 'unknown' for not known). A group that cannot be shown (or whose rest of the audience is below k) is returned with suppressed = true and no numbers.");
        staff.MapGet("/{surveyId:guid}/crosstab", GetCrosstab).WithName("GetSurveyCrosstab").AddOpenApiOperationTransformer(ResultsAttributes.DocumentFilter)
            .WithSummary("One question broken down by one profile attribute (by=ageBand|municipality|gender|language|isClient|channel); filter only on that attribute.");
        staff.MapGet("/{surveyId:guid}/funnel", GetFunnel).WithName("GetSurveyFunnel")
            .WithSummary("Invitations issued, opened and answered, cumulative per UTC day, and the response rate; small steps suppressed.");
        staff.MapGet("/{surveyId:guid}/results.csv", GetCsv).WithName("GetSurveyResultsCsv").AddOpenApiOperationTransformer(ResultsAttributes.DocumentFilter)
            .WithSummary("The results (same filters and suppression) as CSV; aggregates only.");
        staff.MapGet("/{surveyId:guid}/results.xlsx", GetXlsx).WithName("GetSurveyResultsXlsx").AddOpenApiOperationTransformer(ResultsAttributes.DocumentFilter)
            .WithSummary("The results (same filters and suppression) as an Excel workbook; aggregates only.");
        staff.MapGet("/{surveyId:guid}/readers", GetReaders).RequireAuthorization(PanelPolicies.Coordinator).WithName("GetSurveyReaders")
            .WithSummary("Staff ids a coordinator gave access to the survey's results.");
        staff.MapPut("/{surveyId:guid}/readers", PutReaders).RequireAuthorization(PanelPolicies.Coordinator).WithName("PutSurveyReaders")
            .WithSummary("Replaces the staff ids (gateway subject) given access to the survey's results.");

        var open = app.MapGroup("/api/reporting/public/surveys").WithTags("Published results").RequireAuthorization(PanelPolicies.Gateway);
        open.MapGet("", ListPublished).WithName("ListPublishedSurveys").WithSummary("Surveys whose results are published.");
        open.MapGet("/{surveyId:guid}", GetPublished).WithName("GetPublishedSurvey")
            .WithSummary("A published survey's purpose, use of results and key results (no free texts), small counts suppressed.");
        return app;
    }

    public static async Task<Ok<List<SurveySummary>>> List(ClaimsPrincipal user, ReportingDbContext db, CancellationToken ct)
    {
        var surveys = await db.ResultsSurveys.AsNoTracking().Where(s => s.Stage > 0).ToListAsync(ct);
        var staffId = ResultsAccess.StaffId(user);
        var granted = await db.SurveyReportReaders.AsNoTracking().Where(r => r.StaffId == staffId).Select(r => r.SurveyId).ToListAsync(ct);
        var areas = ResultsAccess.Areas(user);
        var visible = surveys.Where(s => ResultsAccess.SeesAll(user) || areas.Contains(s.ServiceArea) || granted.Contains(s.SurveyId)).ToList();
        var ids = visible.Select(s => s.SurveyId).ToList();
        var counts = await db.SurveyAnswerRollups.AsNoTracking()
            .Where(c => ids.Contains(c.SurveyId) && c.Attribute == SurveyAnswerRollup.TotalsAttribute && c.QuestionId == SurveyAnswerRollup.ResponsesQuestion)
            .GroupBy(c => new { c.SurveyId, c.Audience })
            .Select(g => new { g.Key.SurveyId, g.Key.Audience, N = g.Sum(c => c.Respondents) }).ToListAsync(ct);
        return TypedResults.Ok(visible
            .OrderByDescending(s => s.OpensAt)
            .Select(s =>
            {
                // The sum of both audiences only when each is shown in the results (0 or at least k), so that the
                // list minus one audience's results cannot give the other's small count.
                var parts = counts.Where(c => c.SurveyId == s.SurveyId).Select(c => c.N).ToList();
                var n = TotalOfParts.Publish(parts, s.MinimumGroupSize);
                return new SurveySummary(s.SurveyId, StateName(s.Stage), s.ServiceArea, SurveyReadModel.ReadTexts(s.Title), s.MinimumGroupSize,
                    s.OpensAt, s.ClosesAt, s.PublishedAt, n);
            }).ToList());
    }

    public static async Task<Results<Ok<SurveyResultsResponse>, ValidationProblem, ProblemHttpResult>> GetResults(
        Guid surveyId, HttpRequest request, ClaimsPrincipal user, ReportingDbContext db, CancellationToken ct)
    {
        if (!ResultsAttributes.TryParseFilter(request.Query, null, out var filter, out var problem)) return problem!;
        var (survey, denied) = await ResultsAccess.FindAsync(db, user, surveyId, ct);
        if (survey is null) return denied!;
        return TypedResults.Ok(await BuildAsync(db, survey, filter, withTexts: filter is null, ct));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetCsv(
        Guid surveyId, string? lang, HttpRequest request, ClaimsPrincipal user, ReportingDbContext db, CancellationToken ct) =>
        await ExportAsync(surveyId, lang, request, user, db, "csv", ct);

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetXlsx(
        Guid surveyId, string? lang, HttpRequest request, ClaimsPrincipal user, ReportingDbContext db, CancellationToken ct) =>
        await ExportAsync(surveyId, lang, request, user, db, "xlsx", ct);

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        Guid surveyId, string? lang, HttpRequest request, ClaimsPrincipal user, ReportingDbContext db, string format, CancellationToken ct)
    {
        if (lang is not null && lang is not ("fi" or "sv" or "en"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["lang"] = ["The language of question texts: fi, sv or en."] });
        }

        if (!ResultsAttributes.TryParseFilter(request.Query, null, out var filter, out var problem)) return problem!;
        var (survey, denied) = await ResultsAccess.FindAsync(db, user, surveyId, ct);
        if (survey is null) return denied!;
        var lines = ResultsExport.Lines(await BuildAsync(db, survey, filter, withTexts: false, ct), lang ?? "fi");
        var name = $"results-{surveyId:N}.{format}";
        return format == "csv"
            ? TypedResults.File(ResultsExport.Csv(lines), "text/csv; charset=utf-8", name)
            : TypedResults.File(ResultsExport.Xlsx(lines), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    public static async Task<Results<Ok<CrosstabResponse>, ValidationProblem, ProblemHttpResult>> GetCrosstab(
        Guid surveyId, string? question, string? by, HttpRequest request, ClaimsPrincipal user, ReportingDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(by) || !ResultsAttributes.Columns.ContainsKey(by))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["by"] = ["Break down by one of: " + string.Join(", ", ResultsAttributes.Columns.Keys) + "."],
            });
        }

        if (string.IsNullOrWhiteSpace(question))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["question"] = ["Name the question (its id)."] });
        }

        if (!ResultsAttributes.TryParseFilter(request.Query, by, out var filter, out var problem)) return problem!;
        var (survey, denied) = await ResultsAccess.FindAsync(db, user, surveyId, ct);
        if (survey is null) return denied!;
        var q = ResultsStore.Questions(survey).FirstOrDefault(x => x.Id == question);
        if (q is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["question"] = ["The survey has no question with this id."] });
        }

        var cube = await ResultsStore.LoadCubeAsync(db, surveyId, by, ct);
        var final = await BreakdownsFinalAsync(db, survey, ct);
        var audiences = new List<CrosstabAudience>();
        foreach (var (audience, entries) in Audiences(cube, filter))
        {
            // Until every answer is in, a cross-tab is all hidden: see BreakdownsFinalAsync.
            var calc = new ResultsCalculator(survey.MinimumGroupSize, [q], final ? entries : [], await ResultsDomain.LoadAsync(db, by, audience, ct));
            // One row per group of the domain (or per filtered value, known or not), answered or not: which rows a
            // cross-tab has must not depend on who answered.
            var rows = (filter?.Values ?? calc.Groups)
                .Select(g => Row(ResultsAttributes.Label(g), calc.Compute(audience, calc.Mask([g]), withTexts: false)))
                .ToList();
            var total = Row("total", calc.Compute(audience, calc.Mask(filter?.Values), withTexts: false));
            audiences.Add(new CrosstabAudience(audience, rows, total));
        }

        return TypedResults.Ok(new CrosstabResponse(surveyId, survey.MinimumGroupSize, q.Id, q.Type, q.Text, by,
            filter is null ? null : filter with { Values = filter.Values.Select(ResultsAttributes.Label).ToList() }, audiences, final));

        static CrosstabRow Row(string value, AudienceResult r) => new(value, r.Respondents, r.Suppressed, r.Questions[0]);
    }

    public static async Task<Results<Ok<FunnelResponse>, ProblemHttpResult>> GetFunnel(
        Guid surveyId, ClaimsPrincipal user, ReportingDbContext db, CancellationToken ct)
    {
        var (survey, denied) = await ResultsAccess.FindAsync(db, user, surveyId, ct);
        if (survey is null) return denied!;
        return TypedResults.Ok(await Funnel.LoadAsync(db, surveyId, survey.MinimumGroupSize, ct));
    }

    public static async Task<Results<Ok<ReadersResponse>, ProblemHttpResult>> GetReaders(Guid surveyId, ReportingDbContext db, CancellationToken ct)
    {
        if (!await db.ResultsSurveys.AnyAsync(s => s.SurveyId == surveyId && s.Stage > 0, ct)) return ResultsAccess.NotFound();
        var readers = await db.SurveyReportReaders.AsNoTracking().Where(r => r.SurveyId == surveyId).Select(r => r.StaffId).OrderBy(r => r).ToListAsync(ct);
        return TypedResults.Ok(new ReadersResponse(surveyId, readers));
    }

    public static async Task<Results<Ok<ReadersResponse>, ValidationProblem, ProblemHttpResult>> PutReaders(
        Guid surveyId, ReadersRequest? request, ReportingDbContext db, CancellationToken ct)
    {
        var readers = request?.Readers;
        string? error = readers is null ? "Give the list of staff ids (an empty list removes everyone)."
            : readers.Count > 500 ? "At most 500 readers."
            : readers.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 200 || r.Any(char.IsControl)) ? "Each reader is a staff id of 1 to 200 characters."
            : null;
        if (error is not null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["readers"] = [error] });
        if (!await db.ResultsSurveys.AnyAsync(s => s.SurveyId == surveyId && s.Stage > 0, ct)) return ResultsAccess.NotFound();

        var wanted = readers!.Select(r => r.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        await db.SurveyReportReaders.Where(r => r.SurveyId == surveyId).ExecuteDeleteAsync(ct);
        db.SurveyReportReaders.AddRange(wanted.Select(r => new SurveyReportReader { SurveyId = surveyId, StaffId = r }));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ReadersResponse(surveyId, wanted));
    }

    public static async Task<Ok<List<PublicSurveySummary>>> ListPublished(ReportingDbContext db, CancellationToken ct)
    {
        var surveys = await db.ResultsSurveys.AsNoTracking().Where(s => s.Stage == SurveyStage.ResultsPublished)
            .OrderByDescending(s => s.PublishedAt).ToListAsync(ct);
        return TypedResults.Ok(surveys.Select(s => new PublicSurveySummary(s.SurveyId, SurveyReadModel.ReadTexts(s.Title),
            SurveyReadModel.ReadTexts(s.Purpose), SurveyReadModel.ReadTexts(s.ResultsUse), s.PublishedAt)).ToList());
    }

    public static async Task<Results<Ok<PublicSurveyResults>, ProblemHttpResult>> GetPublished(Guid surveyId, ReportingDbContext db, CancellationToken ct)
    {
        var survey = await db.ResultsSurveys.AsNoTracking().SingleOrDefaultAsync(s => s.SurveyId == surveyId && s.Stage == SurveyStage.ResultsPublished, ct);
        if (survey is null) return ResultsAccess.NotFound();
        var results = await BuildAsync(db, survey, null, withTexts: false, ct);
        return TypedResults.Ok(new PublicSurveyResults(surveyId, results.Title, results.Purpose, results.ResultsUse, survey.PublishedAt,
            survey.MinimumGroupSize, results.Invitations, results.Audiences));
    }

    /// <summary>Panel answers always; open-link answers when there are any and the filter is none or on channel including open-link.</summary>
    private static IEnumerable<(string Audience, List<CubeEntry> Entries)> Audiences(Dictionary<string, List<CubeEntry>> cube, ResultsFilter? filter)
    {
        yield return (ResultsStore.Panel, cube[ResultsStore.Panel]);
        if (cube[ResultsStore.OpenLink].Count > 0
            && (filter is null || (filter.Attribute == "channel" && filter.Values.Contains(ResultsStore.OpenLink))))
        {
            yield return (ResultsStore.OpenLink, cube[ResultsStore.OpenLink]);
        }
    }

    public static async Task<SurveyResultsResponse> BuildAsync(ReportingDbContext db, ResultsSurvey survey, ResultsFilter? filter, bool withTexts, CancellationToken ct)
    {
        var questions = ResultsStore.Questions(survey);
        var cube = await ResultsStore.LoadCubeAsync(db, survey.SurveyId, filter?.Attribute, ct);
        var textQuestions = questions.Where(q => q.Type == "free-text").Select(q => q.Id).ToList();
        var texts = withTexts && textQuestions.Count > 0 ? await ResultsStore.LoadTextsAsync(db, survey.SurveyId, textQuestions, ct) : null;
        var final = await BreakdownsFinalAsync(db, survey, ct);
        var audiences = new List<AudienceResult>();
        foreach (var a in Audiences(cube, filter))
        {
            // Until every answer is in, a filtered view is all hidden: see BreakdownsFinalAsync.
            var entries = filter is null || final ? a.Entries : [];
            var calc = new ResultsCalculator(survey.MinimumGroupSize, questions, entries, await ResultsDomain.LoadAsync(db, filter?.Attribute, a.Audience, ct));
            audiences.Add(calc.Compute(a.Audience, calc.Mask(filter?.Values), withTexts, texts?[a.Audience]));
        }

        var funnel = await Funnel.LoadAsync(db, survey.SurveyId, survey.MinimumGroupSize, ct);
        return new SurveyResultsResponse(survey.SurveyId, survey.MinimumGroupSize, StateName(survey.Stage),
            SurveyReadModel.ReadTexts(survey.Title), SurveyReadModel.ReadTexts(survey.Purpose), SurveyReadModel.ReadTexts(survey.ResultsUse),
            filter is null ? null : filter with { Values = filter.Values.Select(ResultsAttributes.Label).ToList() },
            funnel.Totals, audiences, final);
    }

    /// <summary>
    /// Whether results may be broken down by profile (filters, cross-tabs): only once Surveys said the closed survey's
    /// answers are all in (SurveyAnswersFinalized) and Reporting counts exactly that many. While answers still arrive, two
    /// breakdowns taken at different times could be subtracted: every release adds k or more answers in all, but a
    /// group's share of a release can be one person, whose answers the difference would show. The audience's overall
    /// results, which grow only by whole releases, are shown all along.
    /// </summary>
    public static async Task<bool> BreakdownsFinalAsync(ReportingDbContext db, ResultsSurvey survey, CancellationToken ct)
    {
        if (survey.FinalResponses is not { } final) return false;
        var counted = await db.SurveyAnswerRollups.AsNoTracking()
            .Where(r => r.SurveyId == survey.SurveyId && r.Attribute == SurveyAnswerRollup.TotalsAttribute && r.QuestionId == SurveyAnswerRollup.ResponsesQuestion)
            .SumAsync(r => (long?)r.Respondents, ct) ?? 0;
        return counted == final;
    }

    public static string StateName(SurveyStage stage) => stage switch
    {
        SurveyStage.Approved => "approved",
        SurveyStage.Open => "open",
        SurveyStage.Closed => "closed",
        SurveyStage.ResultsPublished => "results-published",
        _ => "unknown",
    };
}
