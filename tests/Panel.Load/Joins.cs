using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace Panel.Load;

/// <summary>
/// joins: residents join through the gateway (POST /api/membership/members) for N seconds with C
/// concurrent clients, then, in the same run and on the same machine, a plain PostgreSQL loop inserts
/// rows of the same shape with the same concurrency. The ratio of the two is the figure that means
/// something on a 2-core machine where the load generator shares the cores with Panel.
/// </summary>
internal static class Joins
{
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Lempäälä", "Pirkkala", "Orivesi", "Sastamala"];

    public static async Task RunAsync(JoinOptions o)
    {
        Console.WriteLine($"joins through the gateway {o.Gateway} for {o.Seconds} s with {o.Concurrency} clients");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency * 2 }) { BaseAddress = o.Gateway };
        var panel = await Throughput.MeasureAsync(o.Seconds, o.Concurrency, async (worker, i) =>
        {
            var response = await http.PostAsJsonAsync("/api/membership/members", new
            {
                email = $"load-{worker}-{i}-{Guid.NewGuid():N}@example.fi",
                birthYear = 1940 + (i % 60),
                municipality = Municipalities[i % Municipalities.Length],
                language = "fi",
                consent = true,
            });
            return response.StatusCode == HttpStatusCode.Accepted;
        });
        Throughput.Print("panel joins (gateway → membership → PostgreSQL + outbox)", panel);

        if (o.Postgres is null)
        {
            Console.WriteLine("no --postgres connection string (or ConnectionStrings__membershipdb): baseline skipped");
            return;
        }

        await using var source = NpgsqlDataSource.Create(o.Postgres);
        await using (var create = source.CreateCommand(
            "CREATE TABLE IF NOT EXISTS bench_baseline (id uuid PRIMARY KEY, email text NOT NULL UNIQUE, birth_year int, municipality text, payload jsonb)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var baseline = await Throughput.MeasureAsync(o.Seconds, o.Concurrency, async (worker, i) =>
        {
            // The same work a join does in SQL, without HTTP: one row and one outbox-sized JSON row in one transaction.
            await using var connection = await source.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO bench_baseline (id, email, birth_year, municipality, payload) VALUES ($1, $2, $3, $4, $5::jsonb)", connection, tx);
            insert.Parameters.AddWithValue(Guid.NewGuid());
            insert.Parameters.AddWithValue($"base-{worker}-{i}-{Guid.NewGuid():N}@example.fi");
            insert.Parameters.AddWithValue(1940 + (i % 60));
            insert.Parameters.AddWithValue(Municipalities[i % Municipalities.Length]);
            insert.Parameters.AddWithValue("{\"profile\":{\"ageBand\":\"35-44\",\"municipality\":\"Tampere\"}}");
            await insert.ExecuteNonQueryAsync();
            await tx.CommitAsync();
            return true;
        });
        Throughput.Print("baseline: plain PostgreSQL insert loop, same concurrency", baseline);
        await using (var drop = source.CreateCommand("DROP TABLE bench_baseline"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        Console.WriteLine(FormattableString.Invariant($"ratio panel/baseline throughput: {panel.PerSecond / baseline.PerSecond:0.00}"));
    }

}
