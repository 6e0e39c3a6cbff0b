using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.Representativeness;

namespace Panel.Reporting.Events;

/// <summary>
/// Replaces the population reference with a newer version. A version not newer than the one held (a late
/// delivery of an older version, or the same version again) changes nothing.
/// </summary>
public sealed partial class PopulationReferencePublishedConsumer(
    ReportingDbContext db, TimeProvider time, ILogger<PopulationReferencePublishedConsumer> logger)
    : InboxConsumer<PopulationReferencePublished, ReportingDbContext>(db, time, logger)
{
    private readonly ILogger _log = logger;

    protected override async Task HandleAsync(PopulationReferencePublished message, CancellationToken ct)
    {
        // The upsert locks the one row until commit, so two versions applied at once take turns, and the
        // condition is checked against whichever committed first.
        var publishedAt = message.PublishedAt.ToUniversalTime();
        var newer = await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO population_reference (id, version, published_at)
            VALUES ({CurrentPopulationReference.SingletonId}, {message.Version}, {publishedAt})
            ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, published_at = EXCLUDED.published_at
            WHERE population_reference.version < EXCLUDED.version
            """, ct);
        if (newer == 0)
        {
            LogOlderVersion(_log, message.Version);
            return;
        }

        await Db.Database.ExecuteSqlAsync($"DELETE FROM population_groups", ct);
        Db.PopulationGroups.AddRange(message.Groups
            .GroupBy(g => (g.Municipality, g.AgeBand, g.Gender))
            .Select(g => new PopulationGroup
            {
                Municipality = g.Key.Municipality,
                AgeBand = g.Key.AgeBand,
                Gender = g.Key.Gender,
                Population = g.Sum(x => (long)Math.Max(0, x.Count)),
            }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Population reference version {Version} is not newer than the one held; ignored")]
    private static partial void LogOlderVersion(ILogger logger, int version);
}
