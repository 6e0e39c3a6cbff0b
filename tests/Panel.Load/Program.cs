using System.Globalization;
using Panel.Load;

// Panel's data generator and benchmarks: they print figures and assert nothing about time.
//
//   Panel.Load joins [--gateway URL] [--seconds N] [--concurrency N] [--postgres CONN]
//   Panel.Load generate --members N [--seed S] [--postgres CONN] [--prefix demo] [--population-csv PATH]
//                       [--reporting-postgres CONN] [--now ISO-TIME] [--months 18]
//   Panel.Load demo [--gateway URL] [--postgres CONN] [--members 2000] [--seed S]
//   Panel.Load representativeness [--members 50000,500000] [--requests 30] [--gateway URL] [--postgres CONN]
//                       [--reporting-postgres CONN] [--pipeline-up-to 50000] [--seed S]
//   Panel.Load invitations [--members 50000] [--seed S] [--smtp-concurrency 8] [--batch 100] [--sink append|maildir] [--sink-ceiling 10000]
//                       [--postgres CONN] [--keep] [--membership-dll PATH] [--surveys-dll PATH]
//   Panel.Load results [--answers 100000,1000000] [--seed 2026] [--requests 20] [--gateway URL | --reporting URL] [--reporting-postgres CONN]
//   Panel.Load suppression [--tables 2000] [--seed 2026] [--k 5] [--zeros shown|protected] [--budget-ms 250] [--exact-limit-ms 20000] [--every 250]
//   Panel.Load answers [--gateway URL] [--seconds 20] [--concurrency 32] [--warmup 5] [--invitations 60000] [--surveys-postgres CONN] [--direct SURVEYS_URL]
//   Panel.Load masker [--seconds 5] [--corpus PATH] [--mistakes false]
//   Panel.Load pipeline [--events 20000] [--writers 16] [--rate 100] [--lag-seconds 20]   (servers from PANEL_TEST_*)
//
// CONN defaults come from ConnectionStrings__membershipdb / ConnectionStrings__reportingdb / ConnectionStrings__surveysdb; staff
// commands sign in as PANEL_STAFF_EMAIL with PANEL_STAFF_PASSWORD (environment only, never argv).
var command = args.FirstOrDefault() ?? "joins";
var a = new Args(args.Skip(1).ToArray());
try
{
    switch (command)
    {
        case "joins":
            await Joins.RunAsync(new JoinOptions(a.Gateway, a.Int("--seconds", 20), a.Int("--concurrency", 32), a.Membership));
            return 0;
        case "generate":
            return await Generate.RunAsync(a);
        case "demo":
            return await Demo.RunAsync(a);
        case "representativeness":
            return await RepresentativenessBenchmark.RunAsync(a);
        case "results":
            return await ResultsBenchmark.RunAsync(a);
        case "answers":
            return await AnswersBenchmark.RunAsync(a);
        case "suppression":
            return SuppressionBenchmark.Run(a);
        case "invitations":
            return await InvitationsBenchmark.RunAsync(a);
        case "masker":
            return MaskerBenchmark.Run(a);
        case "pipeline":
            return await Panel.Load.EventPipeline.PipelineBenchmark.RunAsync(a);
        default:
            Console.Error.WriteLine($"Unknown command '{command}'. Known: joins, generate, demo, representativeness, invitations, results, answers, masker, suppression, pipeline");
            return 2;
    }
}
catch (UsageException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

internal sealed record JoinOptions(Uri Gateway, int Seconds, int Concurrency, string? Postgres);

internal sealed class UsageException(string message) : Exception(message);

internal sealed class Args(string[] args)
{
    public string? Value(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public int Int(string name, int fallback) =>
        Value(name) is { } v
            ? int.TryParse(v.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"{name} must be a whole number, not '{v}'")
            : fallback;

    public IReadOnlyList<int> Ints(string name, params int[] fallback) =>
        Value(name) is { } v
            ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"{name} must be whole numbers separated by commas, not '{v}'"))
                .ToList()
            : fallback;

    public Uri Gateway => new(Value("--gateway") ?? "http://127.0.0.1:8080");

    public string? Membership => Value("--postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__membershipdb");

    public string? Reporting => Value("--reporting-postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__reportingdb");

    public string RequireMembership() =>
        Membership ?? throw new UsageException("Membership's database is needed: --postgres CONN or ConnectionStrings__membershipdb (eval \"$(deploy/local/servers.sh env)\")");

    public (string Email, string Password) StaffCredentials()
    {
        var email = Environment.GetEnvironmentVariable("PANEL_STAFF_EMAIL") ?? "admin@panel.local";
        var password = Environment.GetEnvironmentVariable("PANEL_STAFF_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            var file = Path.Combine(Environment.GetEnvironmentVariable("PANEL_LOCAL_DIR") ?? ".local", "secrets", "admin-password");
            password = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }

        return password is null
            ? throw new UsageException("A staff password is needed: PANEL_STAFF_PASSWORD (and PANEL_STAFF_EMAIL), or .local/secrets/admin-password of ./run.sh")
            : (email, password);
    }

    public DateTimeOffset Now =>
        Value("--now") is { } v
            ? DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : throw new UsageException($"--now must be a date and time, not '{v}'")
            : DateTimeOffset.UtcNow;
}
