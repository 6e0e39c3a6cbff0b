using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Panel.Contracts;
using Panel.Load.Generation;

namespace Panel.Load;

/// <summary>
/// demo (run by <c>./run.sh --demo</c> once Panel is healthy): unless Membership already has demo members,
/// writes about 2 000 of them with 18 months of history and campaigns (their events go through the outbox,
/// RabbitMQ and Reporting like real ones), then uploads the county's population reference through the
/// gateway as the signed-in staff member, unless Reporting already has one. Safe to run again.
/// </summary>
internal static class Demo
{
    public const string Prefix = "demo";

    public static async Task<int> RunAsync(Args a)
    {
        var count = a.Int("--members", 2000);
        var seed = a.Int("--seed", Generate.DefaultSeed);
        var (email, password) = a.StaffCredentials();
        var county = County.Pirkanmaa;
        await using var membership = NpgsqlDataSource.Create(a.RequireMembership());
        StaffClient? staff = null;
        try
        {
            staff = await StaffClient.SignInAsync(a.Gateway, email, password);
        }
        catch (InvalidOperationException ex)
        {
            // The members can still be written; only the wait for Reporting and the upload need a session.
            Console.WriteLine($"demo: {ex.Message} The demo members are written, but the population reference is not uploaded.");
        }

        using (staff)
        {
            var (existing, _) = await new MembershipWriter(membership).ExistingAsync(Prefix);
            if (existing > 0)
            {
                Console.WriteLine($"demo: Membership already has {existing:N0} demo members ({Prefix}.N@{PanelGenerator.EmailDomain}); none added");
            }
            else
            {
                var before = staff is null ? null : await staff.MembersByStateAsync();
                var generated = await Generate.GenerateAsync(membership, null, county, count, seed, Prefix, DateTimeOffset.UtcNow, 18);
                Console.WriteLine(generated.Summary);
                if (staff is not null)
                {
                    var drained = await Pipeline.WaitUntilCountedAsync(staff, membership, before!, generated.Deltas.ByState, TimeSpan.FromSeconds(180));
                    Console.WriteLine(drained is { } t
                        ? FormattableString.Invariant($"demo: Reporting counted the {count:N0} demo members {t.TotalSeconds:0.0} s after they were written (outbox relay → RabbitMQ → Reporting)")
                        : "demo: Reporting has not counted every demo member yet; the panel pages fill in as its consumers catch up");
                }
            }

            if (staff is null)
            {
                return 1;
            }

            await EnsurePopulationReferenceAsync(staff, county);
        }

        Console.WriteLine($"demo: staff sign-in {a.Gateway.ToString().TrimEnd('/')}/staff/sign-in as {email} (Coordinator and ItAdmin)");
        return 0;
    }

    /// <summary>Uploads the population reference unless the representativeness view shows one already.</summary>
    public static async Task EnsurePopulationReferenceAsync(StaffClient staff, County county, string label = "demo: ")
    {
        using (var response = await staff.Http.GetAsync(Pipeline.RepresentativenessPath))
        {
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (Pipeline.HasReference(doc.RootElement))
                {
                    Console.WriteLine($"{label}Reporting already has a population reference; not uploaded again");
                    return;
                }
            }
        }

        var csv = county.PopulationReferenceCsv();
        var (status, body) = await staff.PostCsvAsync(Pipeline.PopulationReferencePath, csv);
        if (status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            Console.WriteLine($"{label}this build has no population reference upload (POST {Pipeline.PopulationReferencePath} answered {(int)status}); representativeness left without one");
            return;
        }

        if ((int)status is < 200 or > 299)
        {
            Console.WriteLine($"{label}uploading the population reference FAILED ({(int)status}): {StaffClient.Shorten(body)}");
            return;
        }

        Console.WriteLine($"{label}population reference of {county.Name} uploaded ({csv.Count(c => c == '\n') - 1} lines, {county.Municipalities.Sum(m => m.Population):N0} residents of all ages in the county's figures)");
    }
}

/// <summary>Watching the events go from Membership's outbox to Reporting's read model.</summary>
internal static class Pipeline
{
    public const string RepresentativenessPath = "/api/reporting/panel/representativeness";
    public const string PopulationReferencePath = "/api/membership/population-reference";

    public static bool HasReference(JsonElement representativeness) =>
        representativeness.TryGetProperty("reference", out var reference)
        && reference.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
        && !(reference.ValueKind == JsonValueKind.Array && reference.GetArrayLength() == 0)
        && !(reference.ValueKind == JsonValueKind.Number && reference.GetDouble() == 0);

    public static async Task<long> UnsentAsync(NpgsqlDataSource membership)
    {
        await using var cmd = membership.CreateCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until panel health's members by state (through the gateway) equal what they were plus the
    /// generated members (a state suppressed before counts as reached once it holds at least the added ones).
    /// Returns how long that took, or null at the timeout.
    /// </summary>
    public static async Task<TimeSpan?> WaitUntilCountedAsync(
        StaffClient staff, NpgsqlDataSource membership, Dictionary<string, int?> before, IReadOnlyDictionary<MemberState, int> added, TimeSpan timeout)
    {
        var expected = new[] { MemberState.Pending, MemberState.Active, MemberState.Paused, MemberState.Withdrawn }
            .ToDictionary(s => s.ToString().ToLowerInvariant(), s => (Before: before.GetValueOrDefault(s.ToString().ToLowerInvariant()), Added: added.GetValueOrDefault(s)));
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (watch.Elapsed < timeout)
        {
            var now = await staff.MembersByStateAsync();
            var done = expected.All(e => now.GetValueOrDefault(e.Key) is { } n && (e.Value.Before is { } b ? n == b + e.Value.Added : n >= e.Value.Added));
            if (done)
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed - lastReport >= TimeSpan.FromSeconds(15))
            {
                lastReport = watch.Elapsed;
                Console.WriteLine(FormattableString.Invariant(
                    $"  {watch.Elapsed.TotalSeconds:0} s: {await UnsentAsync(membership):N0} events still in Membership's outbox; Reporting: {string.Join(", ", now.Select(p => $"{p.Key} {p.Value?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "(suppressed)"}"))}"));
            }

            await Task.Delay(watch.Elapsed < TimeSpan.FromSeconds(30) ? 250 : 1000);
        }

        return null;
    }
}
