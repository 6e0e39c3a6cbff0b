using Microsoft.EntityFrameworkCore;
using Panel.Reporting.Data;

namespace Panel.Reporting.SurveyResults;

/// <summary>One day of the funnel: how many invitations had been issued, opened and answered by its end. Null: hidden.</summary>
public sealed record FunnelDay(DateOnly Day, long? Invited, long? Opened, long? Answered);

/// <param name="ResponseRate">Answered / invited (0..1); null when either is hidden or none were invited.</param>
public sealed record FunnelTotals(long? Invited, long? Opened, long? Answered, double? ResponseRate);

public sealed record FunnelResponse(Guid SurveyId, int MinimumGroupSize, IReadOnlyList<FunnelDay> Days, FunnelTotals Totals);

/// <summary>
/// The response funnel (invited → opened → answered), cumulative per UTC day. A cumulative number is shown only
/// when it differs from the previous one shown by 0 or at least k, and from the total (shown when 0 or at least k)
/// by 0 or at least k, so no two numbers shown differ by 1 to k - 1: a day with few is carried into a later one.
/// The answered numbers must also stand apart from the panel audience's respondents shown in the results (invitation
/// answers plus assisted and paper ones), or the difference would tell how many answers came in by hand.
/// </summary>
public static class Funnel
{
    public static async Task<FunnelResponse> LoadAsync(ReportingDbContext db, Guid surveyId, int k, CancellationToken ct)
    {
        var days = await db.SurveyFunnelDays.AsNoTracking().Where(d => d.SurveyId == surveyId).OrderBy(d => d.Day).ToListAsync(ct);
        var panelRespondents = await db.SurveyAnswerRollups.AsNoTracking()
            .Where(c => c.SurveyId == surveyId && c.Attribute == SurveyAnswerRollup.TotalsAttribute && c.Audience == ResultsStore.Panel
                && c.QuestionId == SurveyAnswerRollup.ResponsesQuestion)
            .SumAsync(c => c.Respondents, ct);
        return Compute(surveyId, k, days, panelRespondents);
    }

    /// <param name="panelRespondents">All answer sets of the panel audience (any channel but the open link).</param>
    public static FunnelResponse Compute(Guid surveyId, int k, IReadOnlyList<SurveyFunnelDay> stored, long panelRespondents = 0)
    {
        var days = new List<SurveyFunnelDay>();
        if (stored.Count > 0)
        {
            var byDay = stored.ToDictionary(d => d.Day);
            for (var day = stored.Min(d => d.Day); day <= stored.Max(d => d.Day); day = day.AddDays(1))
            {
                days.Add(byDay.TryGetValue(day, out var d) ? d : new SurveyFunnelDay { SurveyId = surveyId, Day = day });
            }
        }

        var (invited, invitedTotal) = Series(days.Select(d => d.Invited).ToArray(), k);
        var (opened, openedTotal) = Series(days.Select(d => d.Opened).ToArray(), k);
        // The results show the panel's respondents when 0 or at least k; then it is a number already public.
        long[] published = panelRespondents == 0 || panelRespondents >= k ? [panelRespondents] : [];
        var (answered, answeredTotal) = Series(days.Select(d => d.Answered).ToArray(), k, published);
        double? rate = invitedTotal is > 0 && answeredTotal is { } a ? Math.Round((double)a / invitedTotal.Value, 4) : null;
        return new FunnelResponse(surveyId, k,
            days.Select((d, i) => new FunnelDay(d.Day, invited[i], opened[i], answered[i])).ToList(),
            new FunnelTotals(invitedTotal, openedTotal, answeredTotal, rate));
    }

    /// <summary>
    /// Cumulative numbers of a daily series, and its total, with no two shown numbers 1 to k - 1 apart, nor 1 to
    /// k - 1 apart from any of the <paramref name="published"/> numbers shown elsewhere.
    /// </summary>
    public static (long?[] Cumulative, long? Total) Series(long[] daily, int k, IReadOnlyCollection<long>? published = null)
    {
        published ??= [];
        bool Apart(long a, long b) => a == b || Math.Abs(a - b) >= k;
        bool ApartFromPublished(long a) => published.All(p => Apart(a, p));
        var total = daily.Sum();
        var totalShown = (total == 0 || total >= k) && ApartFromPublished(total);
        var result = new long?[daily.Length];
        var shown = new List<int>();
        long cumulative = 0, last = 0;
        for (var i = 0; i < daily.Length; i++)
        {
            cumulative += daily[i];
            if (Apart(cumulative, last) && ApartFromPublished(cumulative))
            {
                result[i] = cumulative;
                last = cumulative;
                shown.Add(i);
            }
        }

        // The last numbers shown must also stand apart from the total.
        while (totalShown && shown.Count > 0 && !Apart(total, last))
        {
            result[shown[^1]] = null;
            shown.RemoveAt(shown.Count - 1);
            last = shown.Count > 0 ? result[shown[^1]]!.Value : 0;
        }

        return (result, totalShown ? total : null);
    }
}
