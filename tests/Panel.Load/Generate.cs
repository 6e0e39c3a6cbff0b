using System.Globalization;
using Npgsql;
using Panel.Load.Generation;

namespace Panel.Load;

/// <summary>
/// generate: realistic members into Membership's database (rows and outbox events, by binary COPY),
/// numbered after the ones of the same prefix already there; and/or the matching population reference CSV.
/// </summary>
internal static class Generate
{
    public const int DefaultSeed = 2026;

    public static async Task<int> RunAsync(Args a)
    {
        var members = a.Int("--members", 0);
        var csvPath = a.Value("--population-csv");
        if (members <= 0 && csvPath is null)
        {
            throw new UsageException("usage: generate --members N [--seed S] [--postgres CONN] [--prefix demo] [--population-csv PATH] [--reporting-postgres CONN] [--now ISO-TIME] [--months 18]");
        }

        var county = County.Pirkanmaa;
        if (csvPath is not null)
        {
            var csv = county.PopulationReferenceCsv();
            await File.WriteAllTextAsync(csvPath, csv);
            Console.WriteLine($"population reference of {county.Name}: {csv.Count(c => c == '\n') - 1} lines in {csvPath}");
        }

        if (members <= 0)
        {
            return 0;
        }

        var prefix = a.Value("--prefix") ?? "demo";
        if (!System.Text.RegularExpressions.Regex.IsMatch(prefix, "^[a-z][a-z0-9-]{0,19}$"))
        {
            throw new UsageException("--prefix: lower-case letters, digits and '-', starting with a letter");
        }

        await using var membership = NpgsqlDataSource.Create(a.RequireMembership());
        var direct = a.Value("--reporting-postgres");
        var result = await GenerateAsync(membership, direct is null ? null : NpgsqlDataSource.Create(direct), county, members,
            a.Int("--seed", DefaultSeed), prefix, a.Now, a.Int("--months", 18));
        Console.WriteLine(result.Summary);
        return 0;
    }

    public sealed record Generated(int First, int Count, int Events, TimeSpan Elapsed, ReportingDeltas Deltas, string Summary);

    /// <summary>
    /// Writes <paramref name="count"/> more members of <paramref name="prefix"/>. With <paramref name="reporting"/>,
    /// the benchmark-only path: events stored as relayed, Reporting's read model filled with the same deltas.
    /// </summary>
    public static async Task<Generated> GenerateAsync(
        NpgsqlDataSource membership, NpgsqlDataSource? reporting, County county, int count, int seed, string prefix, DateTimeOffset now, int months)
    {
        var writer = new MembershipWriter(membership);
        var (existing, maxIndex) = await writer.ExistingAsync(prefix);
        var consent = await writer.ConsentVersionAsync("1");
        var generator = new PanelGenerator(county, seed, now, prefix, consent, months);
        var campaigns = await writer.AddCampaignsAsync(generator.Campaigns, now);
        var deltas = new ReportingDeltas();
        var stats = new Stats();
        var first = maxIndex + 1;
        var path = reporting is null ? "events in the outbox, for the relay to publish" : "benchmark-only path: events stored as relayed, Reporting's read model filled directly";
        Console.WriteLine($"generating {count:N0} members {generator.EmailOf(first)} … {generator.EmailOf(first + count - 1)} (seed {seed}; {existing:N0} of this prefix already there; {campaigns} campaigns added); {path}");
        var written = await writer.WriteAsync(generator, first, count, reporting is null ? null : DateTimeOffset.UtcNow, m =>
        {
            deltas.Add(m);
            stats.Add(m);
        });

        if (reporting is not null)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await deltas.ApplyAsync(reporting);
            Console.WriteLine(FormattableString.Invariant($"Reporting's read model: the consumers' deltas of {written.Events:N0} events applied in {started.Elapsed.TotalSeconds:0.0} s"));
        }

        var summary = FormattableString.Invariant(
            $"wrote {written.Members:N0} members and {written.Events:N0} outbox events in {written.Elapsed.TotalSeconds:0.0} s ({written.Members / written.Elapsed.TotalSeconds:N0} members/s)\n") + stats.Describe(county);
        return new Generated(first, count, written.Events, written.Elapsed, deltas, summary);
    }

    /// <summary>A short description of what was generated, to see that the distributions are the intended ones.</summary>
    private sealed class Stats
    {
        private readonly Dictionary<string, int> _status = [], _band = [], _gender = [], _language = [], _municipality = [], _campaign = [];
        private int _n;

        public void Add(GeneratedMember m)
        {
            _n++;
            Count(_status, m.Status.ToString());
            Count(_band, Membership.Members.AgeBands.For(m.BirthYear, m.JoinedAt.Year));
            Count(_gender, m.Gender ?? "(not given)");
            Count(_language, m.Language);
            Count(_municipality, m.Municipality);
            Count(_campaign, m.CampaignCode ?? "(none)");
        }

        private static void Count(Dictionary<string, int> d, string key) => d[key] = d.GetValueOrDefault(key) + 1;

        public string Describe(County county)
        {
            string Shares(Dictionary<string, int> d, IEnumerable<string>? order = null, int? top = null)
            {
                var keys = (order ?? d.OrderByDescending(p => p.Value).Select(p => p.Key)).Where(d.ContainsKey);
                if (top is { } t) keys = keys.Take(t);
                return string.Join(", ", keys.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k} {100.0 * d[k] / _n:0.0}%")));
            }

            var said = _gender.GetValueOrDefault("woman") + _gender.GetValueOrDefault("man");
            return string.Join('\n',
                $"  status:       {Shares(_status)}",
                $"  age at join:  {Shares(_band, County.Bands)}",
                FormattableString.Invariant($"  gender:       {Shares(_gender)} (women {(said == 0 ? 0 : 100.0 * _gender.GetValueOrDefault("woman") / said):0.0}% of woman/man)"),
                $"  language:     {Shares(_language)}",
                $"  municipality: {Shares(_municipality, top: 8)} … ({_municipality.Count} of {county.Municipalities.Count})",
                $"  campaign:     {Shares(_campaign)}");
        }
    }
}
