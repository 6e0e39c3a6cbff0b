using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using Panel.Load.Generation;

namespace Panel.Load;

/// <summary>
/// representativeness: grows a panel of generated members (bench.N@example.invalid) to each size in turn,
/// gets Reporting's read model to hold them, and times GET /api/reporting/panel/representativeness through
/// the gateway as a signed-in coordinator.
///
/// How the read model gets the members is printed with each size: through the real pipeline (outbox relay,
/// RabbitMQ, Reporting's consumers; the drain time is printed) when the step adds at most
/// --pipeline-up-to members, else by the benchmark-only path (events stored as relayed, the consumers'
/// deltas applied to Reporting's tables directly). After a pipeline step, Reporting's counts are compared
/// with the deltas the direct path would have applied, so the shortcut is checked against the real thing.
/// </summary>
internal static class RepresentativenessBenchmark
{
    private const string Prefix = "bench";

    public static async Task<int> RunAsync(Args a)
    {
        var sizes = a.Ints("--members", 50_000, 500_000).Order().ToList();
        var requests = a.Int("--requests", 30);
        var pipelineUpTo = a.Int("--pipeline-up-to", 50_000);
        var drainTimeout = TimeSpan.FromSeconds(a.Int("--drain-timeout", 3600));
        var seed = a.Int("--seed", Generate.DefaultSeed);
        var county = County.Pirkanmaa;
        var (email, password) = a.StaffCredentials();
        await using var membership = NpgsqlDataSource.Create(a.RequireMembership());
        await using var reporting = a.Reporting is { } r ? NpgsqlDataSource.Create(r) : null;
        using var staff = await StaffClient.SignInAsync(a.Gateway, email, password);
        Console.WriteLine($"representativeness through the gateway {a.Gateway} as {email}; sizes {string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}; {requests} requests each");

        bool available;
        using (var probe = await staff.Http.GetAsync(Pipeline.RepresentativenessPath))
        {
            available = probe.StatusCode != HttpStatusCode.NotFound;
        }

        if (available)
        {
            await Demo.EnsurePopulationReferenceAsync(staff, county, label: "");
            if (!await WaitForReferenceAsync(staff, TimeSpan.FromSeconds(60)))
            {
                Console.WriteLine("the representativeness view shows no population reference after 60 s; timing it anyway");
            }
        }
        else
        {
            Console.WriteLine($"GET {Pipeline.RepresentativenessPath} answered 404: this build has no representativeness view. The panel is grown anyway; run the same command again once the view exists to time it (the members stay).");
        }

        var rows = new List<string>();
        foreach (var size in sizes)
        {
            var (existing, _) = await new MembershipWriter(membership).ExistingAsync(Prefix);
            var need = (int)Math.Max(0, size - existing);
            string how;
            if (need == 0)
            {
                how = $"already {existing:N0} bench members";
            }
            else if (need <= pipelineUpTo)
            {
                how = await ThroughPipelineAsync(staff, membership, reporting, county, need, seed, drainTimeout);
            }
            else
            {
                if (reporting is null)
                {
                    throw new UsageException($"adding {need:N0} members exceeds --pipeline-up-to {pipelineUpTo:N0}: the direct path needs Reporting's database (--reporting-postgres CONN or ConnectionStrings__reportingdb)");
                }

                var g = await Generate.GenerateAsync(membership, reporting, county, need, seed, Prefix, DateTimeOffset.UtcNow, 18);
                Console.WriteLine(g.Summary);
                how = $"+{need:N0} by the benchmark-only direct path (generation {g.Elapsed.TotalSeconds:0} s)";
            }

            if (!available)
            {
                rows.Add(FormattableString.Invariant($"{size,9:N0} bench members: not timed, no representativeness view ({how})"));
                Console.WriteLine(rows[^1]);
                continue;
            }

            var (timings, last) = await TimeAsync(staff, requests);
            var line = FormattableString.Invariant(
                $"{size,9:N0} bench members: p50 {P(timings, 0.50),7:0.0} ms  p95 {P(timings, 0.95),7:0.0} ms  max {timings[^1],7:0.0} ms  ({Describe(last)}; {how})");
            Console.WriteLine(line);
            rows.Add(line);
        }

        Console.WriteLine();
        Console.WriteLine($"GET {Pipeline.RepresentativenessPath}, {requests} sequential requests per size after 3 warm-up requests (target: under 1 s):");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<string> ThroughPipelineAsync(
        StaffClient staff, NpgsqlDataSource membership, NpgsqlDataSource? reporting, County county, int need, int seed, TimeSpan drainTimeout)
    {
        // Measure only this step's events: wait for anything already in the outbox first.
        for (var waited = 0; await Pipeline.UnsentAsync(membership) is var unsent and > 0; waited++)
        {
            if (waited % 15 == 0) Console.WriteLine($"  waiting for {unsent:N0} earlier events to leave the outbox");
            await Task.Delay(1000);
        }

        var before = await staff.MembersByStateAsync();
        var countsBefore = reporting is null ? null : await ReportingDeltas.ReadMemberCountsAsync(reporting);
        var g = await Generate.GenerateAsync(membership, null, county, need, seed, Prefix, DateTimeOffset.UtcNow, 18);
        Console.WriteLine(g.Summary);
        var drained = await Pipeline.WaitUntilCountedAsync(staff, membership, before, g.Deltas.ByState, drainTimeout);
        if (drained is not { } t)
        {
            throw new TimeoutException($"Reporting did not count the {need:N0} members within {drainTimeout.TotalSeconds:0} s");
        }

        var drainLine = FormattableString.Invariant(
            $"pipeline: {g.Events:N0} events from Membership's outbox through RabbitMQ into Reporting's read model in {t.TotalSeconds:0.0} s after the write ({g.Events / t.TotalSeconds:N0} events/s)");
        Console.WriteLine(drainLine);
        if (reporting is not null)
        {
            var after = await ReportingDeltas.ReadMemberCountsAsync(reporting);
            var diffs = g.Deltas.MemberCounts.Keys.Concat(after.Keys).Distinct()
                .Where(k => after.GetValueOrDefault(k) - countsBefore!.GetValueOrDefault(k) != g.Deltas.MemberCounts.GetValueOrDefault(k))
                .ToList();
            Console.WriteLine(diffs.Count == 0
                ? $"check: Reporting's {after.Count:N0} member-count groups changed exactly by the deltas the benchmark-only path applies"
                : $"check FAILED: {diffs.Count} member-count groups differ from the direct path's deltas, e.g. {string.Join("; ", diffs.Take(3))}");
        }

        return FormattableString.Invariant($"+{need:N0} through the pipeline, drained in {t.TotalSeconds:0} s");
    }

    private static async Task<bool> WaitForReferenceAsync(StaffClient staff, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            using var doc = JsonDocument.Parse(await staff.GetOkAsync(Pipeline.RepresentativenessPath));
            if (Pipeline.HasReference(doc.RootElement)) return true;
            await Task.Delay(500);
        }

        return false;
    }

    private static async Task<(double[] Timings, string Body)> TimeAsync(StaffClient staff, int requests)
    {
        var body = "";
        for (var i = 0; i < 3; i++) body = await staff.GetOkAsync(Pipeline.RepresentativenessPath);
        var timings = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            body = await staff.GetOkAsync(Pipeline.RepresentativenessPath);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(timings);
        return (timings, body);
    }

    private static double P(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Describe(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        string Count(string name) => root.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.Array => v.GetArrayLength().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.Object when v.TryGetProperty("total", out var total) => total.GetRawText(),
                _ => v.ValueKind.ToString(),
            }
            : "-";
        return $"panelMembers {Count("panelMembers")}, groups {Count("groups")}, under-represented {Count("underRepresented")}, {body.Length / 1024.0:0} KiB";
    }
}
