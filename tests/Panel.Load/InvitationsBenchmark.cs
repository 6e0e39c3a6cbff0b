using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Panel.Contracts;
using Panel.Load.Generation;
using Panel.Membership.Members;

namespace Panel.Load;

/// <summary>
/// invitations: the time from a survey's opening (SurveyOpened on RabbitMQ) until every one of N invitation emails
/// has been accepted by a real SMTP server (aiosmtpd; see <see cref="SmtpSink"/> for its two handlers). Runs its own
/// Membership and Surveys processes, each on a database of its own, on a RabbitMQ virtual host of its own (all dropped
/// afterwards unless --keep), with generated members (the generate command's generator; their events stored as relayed
/// so the relay does not compete). An invitation email goes out only once Surveys has stored its chunk and acknowledged
/// it (SurveyInvitationsIssued → SurveyInvitationsStored over RabbitMQ), so the round trip is part of what is measured;
/// the open survey is written straight into Surveys' database (the row its API and clock would have made).
/// First measures the SMTP sink alone (its ceiling on this machine, in the same run); afterwards checks every stored
/// email against the database (one per invitation, to its member, in its language, with a link to its token) and
/// prints where Membership's time went (its own phase timings from its log).
/// </summary>
internal static partial class InvitationsBenchmark
{
    public static async Task<int> RunAsync(Args a)
    {
        var target = a.Int("--members", 50_000);
        var seed = a.Int("--seed", Generate.DefaultSeed);
        var concurrency = a.Int("--smtp-concurrency", 8);
        var batch = a.Int("--batch", 100);
        var sinkKind = a.Value("--sink") ?? "append";
        var ceilingCount = a.Int("--sink-ceiling", 10_000);
        var keep = Array.IndexOf(Environment.GetCommandLineArgs(), "--keep") >= 0;
        var dll = a.Value("--membership-dll") ?? Path.GetFullPath("services/Membership/Panel.Membership/bin/Release/net10.0/Panel.Membership.dll");
        if (!File.Exists(dll))
        {
            throw new UsageException($"Membership is not built: {dll} (dotnet build services/Membership/Panel.Membership -c Release, or --membership-dll PATH)");
        }

        var surveysDll = a.Value("--surveys-dll") ?? Path.GetFullPath("services/Surveys/Panel.Surveys/bin/Release/net10.0/Panel.Surveys.dll");
        if (!File.Exists(surveysDll))
        {
            throw new UsageException($"Surveys is not built: {surveysDll} (dotnet build services/Surveys/Panel.Surveys -c Release, or --surveys-dll PATH)");
        }

        var admin = new NpgsqlConnectionStringBuilder(a.RequireMembership());
        var bus = Environment.GetEnvironmentVariable("ConnectionStrings__eventbus") ?? Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ")
            ?? throw new UsageException("RabbitMQ is needed: ConnectionStrings__eventbus (eval \"$(deploy/local/servers.sh env)\")");
        var management = new Uri(Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672");
        var busUri = new Uri(bus);
        var userInfo = busUri.UserInfo.Split(':', 2);
        var name = "invbench_" + Guid.NewGuid().ToString("N")[..8];
        var database = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = true, MaxPoolSize = 20 }.ConnectionString;
        var surveysName = name + "_surveys";
        var surveysDatabase = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = surveysName, Pooling = true, MaxPoolSize = 20 }.ConnectionString;
        using var http = new HttpClient { BaseAddress = management };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.UnescapeDataString(userInfo[0])}:{Uri.UnescapeDataString(userInfo[1])}")));
        var work = Directory.CreateTempSubdirectory("panel-invbench-");
        SmtpSink? smtp = null;
        Process? membership = null;
        Process? surveys = null;
        Console.WriteLine($"invitations benchmark: {target:N0} invitations, seed {seed}, SMTP workers {concurrency}, batch {batch}; databases {name} and {surveysName}, vhost {name}");
        Console.WriteLine(sinkKind == "append"
            ? "SMTP server: aiosmtpd with the benchmark's handler appending each accepted message to one file (--sink maildir: aiosmtpd's Maildir handler, a file per message, far slower)"
            : "SMTP server: aiosmtpd with its Maildir handler (a file per message)");
        Console.WriteLine($"load average at start: {LoadAverage()}");
        try
        {
            await using (var server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = "postgres" }.ConnectionString))
            {
                await server.CreateCommand($"CREATE DATABASE {name}").ExecuteNonQueryAsync();
                await server.CreateCommand($"CREATE DATABASE {surveysName}").ExecuteNonQueryAsync();
            }

            (await http.PutAsJsonAsync($"/api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"/api/permissions/{name}/{Uri.EscapeDataString(Uri.UnescapeDataString(userInfo[0]))}",
                new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
            var vhostUri = new UriBuilder(busUri) { Path = "/" + name }.Uri.ToString();

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var smtpPort = FreePort();
            var httpPort = FreePort();
            var surveysPort = FreePort();
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__membershipdb"] = database,
                ["ConnectionStrings__eventbus"] = vhostUri,
                ["GatewayToken__PublicKey"] = key.ExportSubjectPublicKeyInfoPem(),
                ["Database__MigrateOnStart"] = "true",
                ["Email__Smtp__Host"] = "127.0.0.1",
                ["Email__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Email__Smtp__Security"] = "None",
                ["Email__From"] = "Asukaspaneeli <panel@example.fi>",
                ["Email__PublicBaseUrl"] = "http://panel.bench",
                ["Email__Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Email__BatchSize"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Email__PollInterval"] = "00:00:00.200",
                ["Invitations__SampleSeed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Invitations__MaxPerMember"] = "100",
                ["Messaging__WaitUntilBusStarted"] = "true",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Panel.Membership.Invitations"] = "Information",
                // Surveys' acknowledgements as they arrive (one line per chunk).
                ["Logging__LogLevel__Panel.Membership.Events"] = "Information",
                ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
                // The sender's per-batch timings (claim, render, SMTP, record), summed at the end.
                ["Logging__LogLevel__Panel.Membership.Email"] = "Debug",
                ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
            };

            // Surveys: its own database, the same virtual host; the clock and the mixer have nothing to do here.
            var surveysEnvironment = new Dictionary<string, string>
            {
                ["ConnectionStrings__surveysdb"] = surveysDatabase,
                ["ConnectionStrings__eventbus"] = vhostUri,
                ["GatewayToken__PublicKey"] = key.ExportSubjectPublicKeyInfoPem(),
                ["Database__MigrateOnStart"] = "true",
                ["Messaging__WaitUntilBusStarted"] = "true",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{surveysPort}",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Panel.Surveys.Events"] = "Information",
                ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
                ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
            };

            // Migrations first, so the generator has tables.
            var migrate = StartProcess("dotnet", [dll, "--contentRoot", Path.GetDirectoryName(dll)!, "--migrate"], environment, Path.Combine(work.FullName, "migrate.log"));
            var migrateSurveys = StartProcess("dotnet", [surveysDll, "--contentRoot", Path.GetDirectoryName(surveysDll)!, "--migrate"], surveysEnvironment,
                Path.Combine(work.FullName, "migrate-surveys.log"));
            await migrate.WaitForExitAsync();
            await migrateSurveys.WaitForExitAsync();
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException($"Membership --migrate failed ({migrate.ExitCode}); see {work.FullName}/migrate.log");
            }

            if (migrateSurveys.ExitCode != 0)
            {
                throw new InvalidOperationException($"Surveys --migrate failed ({migrateSurveys.ExitCode}); see {work.FullName}/migrate-surveys.log");
            }

            await using var data = NpgsqlDataSource.Create(database);
            var toGenerate = (int)Math.Ceiling(target * 1.4);
            while (true)
            {
                var generated = await Generate.GenerateAsync(data, null, County.Pirkanmaa, toGenerate, seed, "bench", DateTimeOffset.UtcNow, 18);
                Console.WriteLine(FormattableString.Invariant($"generated {generated.Count:N0} members in {generated.Elapsed.TotalSeconds:0.0} s"));
                var invitable = Convert.ToInt64(await data.CreateCommand(
                    "SELECT count(*) FROM members WHERE status = 'Active' OR (status = 'Paused' AND paused_until < current_date)").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                if (invitable >= target)
                {
                    Console.WriteLine($"{invitable:N0} invitable members");
                    break;
                }

                toGenerate = (int)Math.Ceiling((target - invitable) * 1.5);
            }

            // The members' own events are not what is measured: stored as relayed, so the relay has nothing to publish.
            await data.CreateCommand("UPDATE outbox_messages SET sent_at = now() WHERE sent_at IS NULL").ExecuteNonQueryAsync();
            await data.CreateCommand("VACUUM ANALYZE members").ExecuteNonQueryAsync();

            var clock = new Stopwatch();
            if (ceilingCount > 0)
            {
                // The sink alone, on a port and store of its own: what no sender could beat on this machine now.
                var ceilingPort = FreePort();
                using var ceilingSink = SmtpSink.Start(sinkKind, work.FullName, "ceiling", ceilingPort, Stopwatch.StartNew(), StartProcess);
                await WaitAsync(() => Task.FromResult(IsListening(ceilingPort)), TimeSpan.FromSeconds(30), "the SMTP sink to start");
                var rate = await SmtpSink.CeilingAsync(ceilingPort, ceilingCount, concurrency);
                Console.WriteLine(FormattableString.Invariant($"the SMTP sink alone: {ceilingCount:N0} messages over {concurrency} connections of a minimal client at {rate:N0} emails/s ({target / rate:0.0} s for {target:N0})"));
            }

            var survey = Guid.NewGuid();
            // The open survey in Surveys, as its API and clock would have left it (Surveys stores invitations only for a
            // survey it has).
            await using var surveysData = NpgsqlDataSource.Create(surveysDatabase);
            await using (var insert = surveysData.CreateCommand("""
                INSERT INTO surveys (id, created_at, created_by, updated_at, updated_by, definition, definition_version, kind, minimum_group_size,
                    service_area, state, title, opens_at, opened_at, closes_at)
                VALUES ($1, now(), 'benchmark', now(), 'benchmark', '{}'::jsonb, 1, 'Questionnaire', 5, 'county-wide', 'Open',
                    '{"fi": "Vertailukysely", "sv": "Jämförelseenkät", "en": "Benchmark survey"}'::jsonb, now(), now(), now() + interval '14 days')
                """))
            {
                insert.Parameters.AddWithValue(survey);
                await insert.ExecuteNonQueryAsync();
            }

            smtp = SmtpSink.Start(sinkKind, work.FullName, "smtp", smtpPort, clock, StartProcess);
            membership = StartProcess("dotnet", [dll, "--contentRoot", Path.GetDirectoryName(dll)!], environment, Path.Combine(work.FullName, "membership.log"));
            surveys = StartProcess("dotnet", [surveysDll, "--contentRoot", Path.GetDirectoryName(surveysDll)!], surveysEnvironment, Path.Combine(work.FullName, "surveys.log"));
            await WaitAsync(async () =>
            {
                try
                {
                    using var probe = new HttpClient();
                    return (await probe.GetAsync($"http://127.0.0.1:{httpPort}/alive")).IsSuccessStatusCode
                        // Ready (database and broker checked), as a long-running Surveys would be: its first chunk does not
                        // pay for building the EF model.
                        && (await probe.GetAsync($"http://127.0.0.1:{surveysPort}/health")).IsSuccessStatusCode
                        && IsListening(smtpPort);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "Membership, Surveys and the SMTP sink to start");
            // The consumer's queue is bound once the bus has started; give it a moment.
            await Task.Delay(2000);

            var opened = new SurveyOpened(survey, 1, "questionnaire", "benchmark", ["fi", "sv", "en"],
                new Dictionary<string, string> { ["fi"] = "Vertailukysely", ["sv"] = "Jämförelseenkät", ["en"] = "Benchmark survey" },
                new Dictionary<string, string> { ["fi"] = "Kutsujen nopeus.", ["sv"] = "Inbjudningarnas hastighet.", ["en"] = "How fast invitations go out." },
                new SurveyTargetGroupSnapshot([], [], [], [], null, [], target, [], "panel", new SurveyRemindersSnapshot(7, 1)),
                DateTimeOffset.UtcNow.AddDays(14), DateTimeOffset.UtcNow);
            var envelope = new
            {
                messageId = Guid.NewGuid(),
                messageType = new[] { "urn:message:Panel.Contracts:SurveyOpened" },
                message = opened,
                sentTime = DateTime.UtcNow,
            };
            clock.Start();
            var publish = await http.PostAsJsonAsync($"/api/exchanges/{name}/{Uri.EscapeDataString("Panel.Contracts:SurveyOpened")}/publish", new
            {
                properties = new { content_type = "application/vnd.masstransit+json", delivery_mode = 2 },
                routing_key = "",
                payload = JsonSerializer.Serialize(envelope, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
                payload_encoding = "string",
            });
            publish.EnsureSuccessStatusCode();
            var routed = await publish.Content.ReadFromJsonAsync<JsonElement>();
            if (!routed.GetProperty("routed").GetBoolean())
            {
                throw new InvalidOperationException("SurveyOpened was not routed: Membership's consumer queue is not bound.");
            }

            TimeSpan? issuedAt = null;
            TimeSpan? firstAt = null;
            long issued = 0;
            var lastPrint = TimeSpan.Zero;
            var lastCount = TimeSpan.Zero;
            long accepted = 0;
            TimeSpan? total = null;
            while (true)
            {
                if (issuedAt is null)
                {
                    issued = Convert.ToInt64(await data.CreateCommand($"SELECT coalesce(max(issued), -1) FROM invitation_surveys WHERE id = '{survey}' AND issued > 0").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                    if (issued > 0)
                    {
                        issuedAt = clock.Elapsed;
                        Console.WriteLine(FormattableString.Invariant($"  {issued:N0} invitations issued (sample, tokens, rows, email outbox, events) after {issuedAt.Value.TotalSeconds:0.00} s"));
                    }
                }

                // The append handler reports each acceptance as it happens; a Maildir is counted by listing it, which
                // costs a read of the whole folder, so at most twice a second (the end time is then up to 0.5 s late).
                if (smtp.Kind == "append" || clock.Elapsed - lastCount >= TimeSpan.FromMilliseconds(500))
                {
                    lastCount = clock.Elapsed;
                    var now = clock.Elapsed;
                    accepted = smtp.Accepted;
                    if (accepted > 0 && firstAt is null)
                    {
                        firstAt = now;
                    }
                    if (issuedAt is not null && accepted >= issued)
                    {
                        total = smtp.LastAccepted ?? now;
                        break;
                    }
                }

                if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
                {
                    lastPrint = clock.Elapsed;
                    Console.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds:0} s: {accepted:N0} emails accepted by SMTP"));
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(15) || membership.HasExited || surveys.HasExited || smtp.HasExited)
                {
                    throw new TimeoutException($"gave up after {clock.Elapsed}: {accepted:N0} emails accepted (see {work.FullName}/membership.log and surveys.log)");
                }

                await Task.Delay(50);
            }

            var sentMarked = Convert.ToInt64(await data.CreateCommand($"SELECT count(*) FROM invitations WHERE survey_id = '{survey}' AND sent_at IS NOT NULL").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var events = Convert.ToInt64(await data.CreateCommand("SELECT count(*) FROM outbox_messages WHERE message_type = 'Panel.Contracts.SurveyInvitationsIssued'").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var acknowledged = Convert.ToInt64(await data.CreateCommand($"SELECT count(*) FROM invitations WHERE survey_id = '{survey}' AND acknowledged_at IS NOT NULL").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var storedAtSurveys = Convert.ToInt64(await surveysData.CreateCommand($"SELECT count(*) FROM invitations WHERE survey_id = '{survey}'").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var acks = Convert.ToInt64(await surveysData.CreateCommand("SELECT count(*) FROM outbox_messages WHERE message_type = 'Panel.Contracts.SurveyInvitationsStored'").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var sendSeconds = (total!.Value - issuedAt!.Value).TotalSeconds;
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"SurveyOpened published → {issued:N0} invitations issued:        {issuedAt.Value.TotalSeconds,7:0.00} s"));
            Console.WriteLine(FormattableString.Invariant($"SurveyOpened published → first email accepted by SMTP:  {firstAt!.Value.TotalSeconds,7:0.00} s   (after the first chunk's acknowledgement by Surveys)"));
            Console.WriteLine(FormattableString.Invariant($"SurveyOpened published → all {issued:N0} emails accepted by SMTP: {total.Value.TotalSeconds,7:0.00} s   (target < 60 s)"));
            Console.WriteLine(FormattableString.Invariant($"sending alone: {sendSeconds:0.00} s = {issued / sendSeconds:N0} emails/s over {concurrency} SMTP connections; overall {issued / total.Value.TotalSeconds:N0} invitations/s"));
            Console.WriteLine(FormattableString.Invariant($"SurveyInvitationsIssued events: {events} (≤ 1000 invitations each); invitations marked sent when the last email was accepted: {sentMarked:N0}"));
            Console.WriteLine(FormattableString.Invariant($"Surveys: {storedAtSurveys:N0} invitations stored, {acks} SurveyInvitationsStored acknowledgements; Membership: {acknowledged:N0} invitations acknowledged"));
            Console.WriteLine($"load average at the end: {LoadAverage()}");

            // Membership's own account of its time (its log: the issue's phases, the sender's batches).
            await Task.Delay(1000);
            Console.WriteLine();
            PrintTimings(Path.Combine(work.FullName, "membership.log"));

            // Every email checked against the database, after the clock stopped.
            var invitations = new Dictionary<string, (string Email, string Language)>(StringComparer.Ordinal);
            await using (var reader = await data.CreateCommand($"SELECT i.token_hash, m.email, i.language FROM invitations i JOIN members m ON m.id = i.member_id WHERE i.survey_id = '{survey}'").ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    invitations[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
                }
            }

            var problems = SmtpSink.Verify(smtp.Messages(), invitations);
            Console.WriteLine(problems.Count == 0
                ? $"checked: each of the {invitations.Count:N0} invitations was emailed once, to its member, in its language (fi/sv/en), with a link to its own token"
                : "PROBLEMS with the emails:\n  " + string.Join("\n  ", problems));
            return problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var process in new[] { membership, surveys })
            {
                if (process is { HasExited: false })
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }

            smtp?.Dispose();

            if (!keep)
            {
                NpgsqlConnection.ClearAllPools();
                await using (var server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = "postgres" }.ConnectionString))
                {
                    await server.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").ExecuteNonQueryAsync();
                    await server.CreateCommand($"DROP DATABASE IF EXISTS {surveysName} WITH (FORCE)").ExecuteNonQueryAsync();
                }

                await http.DeleteAsync($"/api/vhosts/{name}");
                work.Delete(recursive: true);
            }
            else
            {
                Console.WriteLine($"kept: databases {name} and {surveysName}, vhost {name}, logs and the received emails in {work.FullName}");
            }
        }
    }

    private static Process StartProcess(string file, string[] args, Dictionary<string, string> environment, string log) =>
        StartProcess(file, args, environment, log, null);

    /// <summary>Starts a process with its output in <paramref name="log"/>, or, with <paramref name="onOutput"/>, its stdout lines to that.</summary>
    private static Process StartProcess(string file, string[] args, Dictionary<string, string> environment, string log, Action<string>? onOutput)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (onOutput is not null)
            {
                onOutput(e.Data);
                return;
            }

            lock (writer)
            {
                writer.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)" : "unknown";

    /// <summary>Sums Membership's timings from its log: the issue's phases (one line) and the sender's batches.</summary>
    private static void PrintTimings(string log)
    {
        var lines = File.ReadAllLines(log);
        foreach (var line in lines.Where(l => l.Contains("Issued ", StringComparison.Ordinal) && l.Contains(" ms: candidates", StringComparison.Ordinal)))
        {
            Console.WriteLine("Membership: " + line.Trim());
        }

        long batches = 0, claimed = 0, claim = 0, render = 0, smtp = 0, save = 0, slowestClaim = 0;
        foreach (var line in lines)
        {
            var m = BatchLine().Match(line);
            if (m.Success)
            {
                batches++;
                claimed += long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var c = long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
                claim += c;
                slowestClaim = Math.Max(slowestClaim, c);
                render += long.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture);
                smtp += long.Parse(m.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture);
                save += long.Parse(m.Groups[6].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (batches > 0)
        {
            var all = (double)(claim + render + smtp + save);
            Console.WriteLine(FormattableString.Invariant(
                $"Membership's sender: {batches:N0} batches, {claimed:N0} emails; worker time summed over workers: claim {claim / 1000.0:0.0} s ({claim / all:P0}, slowest {slowestClaim} ms), render {render / 1000.0:0.0} s ({render / all:P0}), SMTP {smtp / 1000.0:0.0} s ({smtp / all:P0}), record and commit {save / 1000.0:0.0} s ({save / all:P0})"));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Email batch of (\d+) \((\d+) sent\): claim (\d+) ms, render (\d+) ms, SMTP (\d+) ms, record and commit (\d+) ms")]
    private static partial System.Text.RegularExpressions.Regex BatchLine();

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(200);
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
