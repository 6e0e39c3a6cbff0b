using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Privacy;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Targeting;

namespace Panel.Surveys.Responses;

/// <summary>
/// The profiles stored with a survey's answers, kept k-anonymous (DESIGN.md section 5, rule 2) by the
/// <see cref="ProfileAnonymizer"/>: the mixer recodes each batch against the classes (exact stored profiles) the survey
/// already has before storing it and telling Reporting, so that matching a member's profile against the stored answers
/// (or Reporting's free texts, or the retained events) leaves at least k candidates.
/// </summary>
public static class StoredProfiles
{
    private sealed record Class(string? AgeBand, string? Municipality, string? Gender, string? Language, string? IsClient, int Count);

    public static ProfileTuple? ToTuple(ProfileSnapshot? p) => p is null
        ? null
        : new ProfileTuple(Stated(p.AgeBand), Stated(p.Municipality), Stated(p.Gender), Stated(p.Language),
            p.IsClient is { } c ? (c ? "true" : "false") : null);

    public static ProfileSnapshot ToSnapshot(ProfileTuple t) =>
        new(t.AgeBand ?? ProfileSnapshot.NotStated, t.Municipality ?? ProfileSnapshot.NotStated, t.Gender,
            t.Language ?? ProfileSnapshot.NotStated, t.Client is null ? null : t.Client == "true");

    private static string? Stated(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// Recodes a batch of a survey, inside the mixer's transaction: waits for any other mixer of the same survey (the
    /// classes read must stay the classes written to), reads the survey's classes, recodes the batch, and recodes
    /// stored answers where the batch alone cannot make its classes reach k (only when a batch is smaller than k, or
    /// for classes stored before this rule). Returns the batch's profiles in its order.
    /// </summary>
    public static async Task<IReadOnlyList<ProfileSnapshot?>> RecodeAsync(
        SurveysDbContext db, Guid surveyId, int k, IReadOnlyList<ProfileSnapshot?> batch, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({surveyId.ToString()}, 7013))", ct);
        var classes = (await db.Database.SqlQuery<Class>($"""
                SELECT nullif(profile->>'ageBand', '') AS age_band, nullif(profile->>'municipality', '') AS municipality,
                       nullif(profile->>'gender', '') AS gender, nullif(profile->>'language', '') AS language,
                       profile->>'isClient' AS is_client, count(*)::int AS count
                FROM survey_responses
                WHERE survey_id = {surveyId} AND profile IS NOT NULL AND jsonb_typeof(profile) = 'object'
                GROUP BY 1, 2, 3, 4, 5
                """).ToListAsync(ct))
            .ToDictionary(c => new ProfileTuple(c.AgeBand, c.Municipality, c.Gender, c.Language, c.IsClient), c => c.Count);

        var recoding = ProfileAnonymizer.Recode(classes, batch.Select(ToTuple).ToList(), k, ProfileValues.AgeBands);
        foreach (var (from, to, count) in recoding.Stored)
        {
            var json = DefinitionJson.Serialize(ToSnapshot(to));
            await db.Database.ExecuteSqlAsync($"""
                UPDATE survey_responses SET profile = {json}::jsonb
                WHERE id IN (
                    SELECT id FROM survey_responses
                    WHERE survey_id = {surveyId} AND profile IS NOT NULL AND jsonb_typeof(profile) = 'object'
                      AND nullif(profile->>'ageBand', '') IS NOT DISTINCT FROM {from.AgeBand}
                      AND nullif(profile->>'municipality', '') IS NOT DISTINCT FROM {from.Municipality}
                      AND nullif(profile->>'gender', '') IS NOT DISTINCT FROM {from.Gender}
                      AND nullif(profile->>'language', '') IS NOT DISTINCT FROM {from.Language}
                      AND profile->>'isClient' IS NOT DISTINCT FROM {from.Client}
                    LIMIT {count})
                """, ct);
        }

        return recoding.Batch.Select(t => t is { } v ? ToSnapshot(v) : null).ToList();
    }
}
