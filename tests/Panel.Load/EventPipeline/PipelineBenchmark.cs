using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;
using Panel.Messaging;
using Panel.TestSupport;

namespace Panel.Load.EventPipeline;

/// <summary>
/// The event pipeline: a service's outbox → its relay → RabbitMQ → another service's consumer and inbox, with Panel's
/// own relay, MassTransit settings and inbox consumers, on the real servers (own databases and virtual host).
/// Three phases of the same number of rows in one run: the plain PostgreSQL insert rate (one row per transaction, as
/// many writers as the consumer runs at once) beside the drain rate of a backlog of answers (batch consumer) and of
/// joins (one transaction per event), as after a broker outage; then the event lag at a steady answer rate.
/// </summary>
internal static class PipelineBenchmark
{
    private static readonly Guid[] Surveys = [.. Enumerable.Range(0, 20).Select(_ => Guid.NewGuid())];
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Lempäälä", "Pirkkala", "Orivesi", "Akaa"];

    public static async Task<int> RunAsync(Args a)
    {
        var events = a.Int("--events", 20_000);
        var writers = a.Int("--writers", 16);
        var rate = a.Int("--rate", 100);
        var lagSeconds = a.Int("--lag-seconds", 20);
        if (events < 1000 || writers < 1 || rate < 1 || lagSeconds < 1)
        {
            throw new UsageException("--events must be at least 1000, --writers, --rate and --lag-seconds at least 1");
        }

        await using var producerDb = await TestDatabase.CreateAsync("bench-producer");
        await using var consumerDb = await TestDatabase.CreateAsync("bench-consumer");
        await using var vhost = await TestVirtualHost.CreateAsync();
        using var producer = PipelineHosts.Producer(producerDb.ConnectionString, vhost.AmqpUri);
        using var consumer = PipelineHosts.Consumer(consumerDb.ConnectionString, vhost.AmqpUri);
        await CreateSchemaAsync<PipelineProducerDb>(producer, null);
        await CreateSchemaAsync<PipelineConsumerDb>(consumer, PipelineConsumerDb.Schema);
        await consumer.StartAsync();
        await producer.StartAsync();
        await using var consumerData = NpgsqlDataSource.Create(consumerDb.ConnectionString);
        await using var producerData = NpgsqlDataSource.Create(producerDb.ConnectionString);

        Console.WriteLine(Inv($"event pipeline: {events:N0} rows per phase, {writers} writers for the plain inserts, {Environment.ProcessorCount} CPUs"));
        var plain = await PlainInsertsAsync(consumerData, events, writers);
        Print("plain PostgreSQL inserts (one row per transaction)", events, plain);

        // Warm up the path (JIT, connections, channels) with a few events of each kind, not measured.
        await DrainAsync(producerData, consumerData, 500, i => new InvitationAnswered(Surveys[i % Surveys.Length], Token(i)), nameof(AnsweredBatchConsumer));
        await DrainAsync(producerData, consumerData, 200, i => Joined(i), nameof(JoinedConsumer));

        var answers = await DrainAsync(producerData, consumerData, events,
            i => new InvitationAnswered(Surveys[i % Surveys.Length], Token(i)), nameof(AnsweredBatchConsumer));
        Print("backlog of answers drained (relay → RabbitMQ → batch consumer → inbox)", events, answers);
        var joins = await DrainAsync(producerData, consumerData, events, i => Joined(i), nameof(JoinedConsumer));
        Print("backlog of joins drained (relay → RabbitMQ → consumer, one transaction per event → inbox)", events, joins);
        Console.WriteLine(Inv($"rates: plain inserts {events / plain.TotalSeconds:N0}/s, answers {events / answers.TotalSeconds:N0}/s ({plain / answers:0.00} of the plain rate), joins {events / joins.TotalSeconds:N0}/s ({plain / joins:0.00} of it); target 2,000 events/s"));

        var lags = await LagAsync(producerData, consumerData, rate, lagSeconds);
        Console.WriteLine(Inv($"event lag at {rate} answers/s for {lagSeconds} s ({lags.Length:N0} events, each committed on its own): p50 {Percentile(lags, 0.50):0} ms, p95 {Percentile(lags, 0.95):0} ms, p99 {Percentile(lags, 0.99):0} ms, max {lags[^1]:0} ms"));

        await producer.StopAsync();
        await consumer.StopAsync();
        return 0;
    }

    private static MemberJoined Joined(int i) =>
        new(Guid.NewGuid(), new ProfileSnapshot("35-44", Municipalities[i % Municipalities.Length], null, "fi", null), DateTimeOffset.UtcNow, null);

    private static string Token(int i) => i.ToString("x64", CultureInfo.InvariantCulture);

    private static async Task CreateSchemaAsync<TDb>(IHost host, string? extra) where TDb : DbContext
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await db.Database.EnsureCreatedAsync();
        if (extra is not null)
        {
            await db.Database.ExecuteSqlRawAsync(extra);
        }
    }

    /// <summary><paramref name="count"/> single-row transactions from <paramref name="writers"/> connections at once.</summary>
    private static async Task<TimeSpan> PlainInsertsAsync(NpgsqlDataSource data, int count, int writers)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            await using var connection = await data.OpenConnectionAsync();
            while (Interlocked.Increment(ref next) < count)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO plain_inserts (id, at) VALUES ($1, now())", connection);
                insert.Parameters.AddWithValue(Guid.CreateVersion7());
                await insert.ExecuteNonQueryAsync();
            }
        }));
        var elapsed = clock.Elapsed;
        var stored = await CountAsync(data, "SELECT count(*) FROM plain_inserts");
        return stored == count ? elapsed : throw new InvalidOperationException($"The plain insert phase stored {stored} rows, not {count}.");
    }

    /// <summary>Commits <paramref name="count"/> events to the outbox in one transaction, wakes the relay and times until the consumer's inbox has them all.</summary>
    private static async Task<TimeSpan> DrainAsync<TEvent>(NpgsqlDataSource producer, NpgsqlDataSource consumer, int count, Func<int, TEvent> make, string consumerName)
        where TEvent : class
    {
        var before = await InboxCountAsync(consumer, consumerName);
        var rows = Enumerable.Range(0, count).Select(i => Outbox.Message(make(i), TimeProvider.System)).ToList();
        await using (var connection = await producer.OpenConnectionAsync())
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY outbox_messages (id, message_type, body, created_at, attempts) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.MessageType, NpgsqlDbType.Varchar);
                await copy.WriteAsync(row.Body, NpgsqlDbType.Jsonb);
                await copy.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync();
        }

        var clock = Stopwatch.StartNew();
        Outbox.Pulse();
        var deadline = TimeSpan.FromSeconds(Math.Max(120, count / 50));
        TimeSpan? relayed = null;
        while (await InboxCountAsync(consumer, consumerName) - before < count)
        {
            if (relayed is null && await CountAsync(producer, "SELECT count(*) FROM outbox_messages") == 0)
            {
                relayed = clock.Elapsed;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{consumerName}: {await InboxCountAsync(consumer, consumerName) - before} of {count} events in the inbox after {deadline}.");
            }

            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        Console.WriteLine(Inv($"  {consumerName}: {count:N0} relayed (outbox empty) after {(relayed ?? elapsed).TotalSeconds:0.00} s, all in the inbox after {elapsed.TotalSeconds:0.00} s"));
        return elapsed;
    }

    /// <summary>Answers at a steady rate, each in its own transaction as a submit writes it; the lag of each in ms, sorted.</summary>
    private static async Task<double[]> LagAsync(NpgsqlDataSource producer, NpgsqlDataSource consumer, int rate, int seconds)
    {
        var total = rate * seconds;
        var written = new Dictionary<Guid, DateTimeOffset>(total);
        var clock = Stopwatch.StartNew();
        await using (var connection = await producer.OpenConnectionAsync())
        {
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var row = Outbox.Message(new InvitationAnswered(Surveys[i % Surveys.Length], Token(1_000_000 + i)), TimeProvider.System);
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO outbox_messages (id, message_type, body, created_at, attempts) VALUES ($1, $2, $3, $4, 0)", connection);
                insert.Parameters.AddWithValue(row.Id);
                insert.Parameters.AddWithValue(row.MessageType);
                insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, row.Body);
                insert.Parameters.AddWithValue(row.CreatedAt);
                await insert.ExecuteNonQueryAsync();
                written[row.Id] = DateTimeOffset.UtcNow; // committed (autocommit) now
                Outbox.Pulse();
            }
        }

        var lags = new List<double>(total);
        var deadline = Stopwatch.StartNew();
        while (lags.Count < total)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"Only {lags.Count} of {total} steady-rate answers reached the inbox.");
            }

            lags.Clear();
            await using var query = consumer.CreateCommand(
                "SELECT message_id, processed_at FROM inbox_messages WHERE consumer = $1 AND message_id = ANY($2)");
            query.Parameters.AddWithValue(nameof(AnsweredBatchConsumer));
            query.Parameters.AddWithValue(written.Keys.ToArray());
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lags.Add(Math.Max(0, (reader.GetFieldValue<DateTimeOffset>(1) - written[reader.GetGuid(0)]).TotalMilliseconds));
            }

            if (lags.Count < total)
            {
                await Task.Delay(200);
            }
        }

        return [.. lags.Order()];
    }

    private static Task<long> InboxCountAsync(NpgsqlDataSource data, string consumerName) =>
        CountAsync(data, "SELECT count(*) FROM inbox_messages WHERE consumer = '" + consumerName + "'");

    private static async Task<long> CountAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? throw new InvalidOperationException("The lag phase measured nothing.") : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Print(string what, int count, TimeSpan elapsed)
    {
        if (count <= 0 || elapsed <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{what}: the phase measured nothing ({count} rows in {elapsed}).");
        }

        Console.WriteLine(Inv($"{what}: {count:N0} in {elapsed.TotalSeconds:0.00} s = {count / elapsed.TotalSeconds:N0}/s"));
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
