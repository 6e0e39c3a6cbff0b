using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Panel.Contracts;
using Panel.Messaging;

namespace Panel.Load.EventPipeline;

/// <summary>The producing service's database of the pipeline benchmark: its outbox (and inbox).</summary>
public sealed class PipelineProducerDb(DbContextOptions<PipelineProducerDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}

/// <summary>
/// The consuming service's database: its inbox and a read model shaped like Reporting's (a counter per survey and day,
/// a counter per municipality), so the consumers below contend on the same few rows as Reporting's do.
/// </summary>
public sealed class PipelineConsumerDb(DbContextOptions<PipelineConsumerDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();

    public const string Schema = """
        CREATE TABLE answered_days (survey_id uuid NOT NULL, day date NOT NULL, answered bigint NOT NULL, PRIMARY KEY (survey_id, day));
        CREATE TABLE joined_by_municipality (municipality text PRIMARY KEY, joined bigint NOT NULL);
        CREATE TABLE plain_inserts (id uuid PRIMARY KEY, at timestamptz NOT NULL);
        """;
}

/// <summary>Answers come in floods: applied in batches, one transaction and one upsert per survey and day (as Reporting's funnel).</summary>
public sealed class AnsweredBatchConsumer(PipelineConsumerDb db, TimeProvider time, ILogger<AnsweredBatchConsumer> logger)
    : BatchInboxConsumer<InvitationAnswered, PipelineConsumerDb>(db, time, logger)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<InvitationAnswered>> messages, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        foreach (var survey in messages.GroupBy(m => m.Message.SurveyId).OrderBy(g => g.Key))
        {
            await Db.Database.ExecuteSqlAsync($"""
                INSERT INTO answered_days (survey_id, day, answered) VALUES ({survey.Key}, {day}, {(long)survey.Count()})
                ON CONFLICT (survey_id, day) DO UPDATE SET answered = answered_days.answered + EXCLUDED.answered
                """, ct);
        }
    }
}

/// <summary>Joins come one at a time: one transaction each, on a counter row shared by everyone of a municipality.</summary>
public sealed class JoinedConsumer(PipelineConsumerDb db, TimeProvider time, ILogger<JoinedConsumer> logger)
    : InboxConsumer<MemberJoined, PipelineConsumerDb>(db, time, logger)
{
    protected override async Task HandleAsync(MemberJoined message, CancellationToken ct) =>
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO joined_by_municipality (municipality, joined) VALUES ({message.Profile.Municipality}, 1)
            ON CONFLICT (municipality) DO UPDATE SET joined = joined_by_municipality.joined + 1
            """, ct);
}

internal static class PipelineHosts
{
    private static HostApplicationBuilder Builder(string connectionName, string connectionString, Uri bus, bool relay)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{connectionName}"] = connectionString,
            [$"ConnectionStrings:{ConnectionNames.EventBus}"] = bus.ToString(),
            ["Messaging:RelayEnabled"] = relay.ToString(),
            ["Messaging:WaitUntilBusStarted"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The producer with the service defaults of the relay (batch size, poll interval): only the relay runs in it.</summary>
    public static IHost Producer(string connectionString, Uri bus)
    {
        var builder = Builder("producerdb", connectionString, bus, relay: true);
        builder.AddPanelMessaging<PipelineProducerDb>("bench-producer", "producerdb");
        return builder.Build();
    }

    /// <summary>The consumer with the service defaults of MassTransit's endpoints and Panel's inbox consumers.</summary>
    public static IHost Consumer(string connectionString, Uri bus)
    {
        var builder = Builder("consumerdb", connectionString, bus, relay: false);
        builder.AddPanelMessaging<PipelineConsumerDb>("bench-consumer", "consumerdb", x =>
        {
            x.AddConsumer<AnsweredBatchConsumer>(BatchInboxConsumer.Options);
            x.AddConsumer<JoinedConsumer>();
        });
        return builder.Build();
    }
}
