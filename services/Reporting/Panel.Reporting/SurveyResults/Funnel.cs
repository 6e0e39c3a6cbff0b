using Microsoft.EntityFrameworkCore;
using Panel.Privacy;
using Panel.Reporting.Data;

namespace Panel.Reporting.SurveyResults;

/// <summary>One day of the funnel: how many invitations had been issued, opened and answered by its end. Null: hidden.</summary>
public sealed record FunnelDay(DateOnly Day, long? Invited, long? Opened, long? Answered);

/// <param name="ResponseRate">Answered / invited (0..1) of the numbers shown; null when either is hidden.</param>
public sealed record FunnelTotals(long? Invited, long? Opened, long? Answered, double? ResponseRate);

public sealed record FunnelResponse(Guid SurveyId, int MinimumGroupSize, IReadOnlyList<FunnelDay> Days, FunnelTotals Totals);

/// <summary>
/// The response funnel (invited → opened → answered), cumulative per UTC day, through the disclosure-control engine
/// (<see cref="CountRounding.Series"/>): a number below k, zero included, is hidden, and every other is rounded down to a
/// multiple of 5; only a survey that invited no one at all shows its totals as 0. Two numbers shown then differ by a multiple of 5 and never by an exact 1 to 4 people, so neither
/// two days, nor the funnel and the results' respondents (which include assisted and paper answers), nor the funnel
/// and Membership's progress can be subtracted to count a few answers exactly. Only days that have ended (UTC) are
/// shown: a cumulative count that moved whenever an answer came in would, watched over time, show the moment it
/// reached a multiple of 5, and so its exact value then; counted to the end of a day it moves once a day.
/// </summary>
public static class Funnel
{
    public static async Task<FunnelResponse> LoadAsync(ReportingDbContext db, Guid surveyId, int k, CancellationToken ct, TimeProvider? time = null)
    {
        var today = DateOnly.FromDateTime((time ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        var days = await db.SurveyFunnelDays.AsNoTracking().Where(d => d.SurveyId == surveyId && d.Day < today).OrderBy(d => d.Day).ToListAsync(ct);
        var invitedAtAll = await db.SurveyFunnelDays.AsNoTracking()
            .AnyAsync(d => d.SurveyId == surveyId && (d.Invited != 0 || d.Opened != 0 || d.Answered != 0), ct);
        return Compute(surveyId, k, days, invitedAtAll);
    }

    /// <param name="stored">The days to show (ended days only: <see cref="LoadAsync"/> leaves today out).</param>
    /// <param name="invitedAtAll">Whether the survey has any invitation, today's included: if not, its totals are 0.</param>
    public static FunnelResponse Compute(Guid surveyId, int k, IReadOnlyList<SurveyFunnelDay> stored, bool invitedAtAll = true)
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

        var (invited, invitedTotal) = CountRounding.Series(days.Select(d => d.Invited).ToArray(), k);
        var (opened, openedTotal) = CountRounding.Series(days.Select(d => d.Opened).ToArray(), k);
        var (answered, answeredTotal) = CountRounding.Series(days.Select(d => d.Answered).ToArray(), k);
        double? rate = invitedTotal is > 0 && answeredTotal is { } a ? Math.Round((double)a / invitedTotal.Value, 2) : null;
        // A survey that invited no one (an open link, answers entered by staff) says so: who is invited is the target
        // group's doing (k or more, or none), not a resident's, and with no invitation none is opened or answered.
        var totals = !invitedAtAll
            ? new FunnelTotals(0, 0, 0, null)
            : new FunnelTotals(invitedTotal, openedTotal, answeredTotal, rate);
        return new FunnelResponse(surveyId, k,
            days.Select((d, i) => new FunnelDay(d.Day, invited[i], opened[i], answered[i])).ToList(),
            totals);
    }
}
