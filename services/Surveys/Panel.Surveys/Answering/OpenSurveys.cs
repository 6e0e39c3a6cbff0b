using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Answering;

/// <summary>
/// Open surveys as answering reads them (definition parsed once), kept for a few seconds so that a busy survey's
/// row and definition are not read and parsed for every answer. Only ever a hint: whoever stores an answer checks
/// the survey's state and definition version in the same statement (see <see cref="InvitationSubmission"/>), and
/// calls <see cref="Forget"/> when the check fails. Surveys that are not open are never kept.
/// </summary>
public sealed class OpenSurveys(TimeProvider time)
{
    /// <summary>How long a survey is kept: a revision or a closing is seen by the next answer after at most this.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>At most this many surveys are kept; more (never in practice) empties the cache.</summary>
    private const int Capacity = 1000;

    private readonly ConcurrentDictionary<Guid, (Survey Survey, DateTimeOffset Until)> _surveys = new();

    /// <summary>The survey, from the cache while it is fresh and open, else from the database.</summary>
    public async Task<Survey> GetAsync(SurveysDbContext db, Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_surveys.TryGetValue(id, out var kept) && kept.Until > now)
        {
            return kept.Survey;
        }

        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == id, ct);
        if (survey.State == SurveyState.Open)
        {
            if (_surveys.Count >= Capacity)
            {
                _surveys.Clear();
            }

            _surveys[id] = (survey, now + Lifetime);
        }
        else
        {
            _surveys.TryRemove(id, out _);
        }

        return survey;
    }

    public void Forget(Guid id) => _surveys.TryRemove(id, out _);
}
