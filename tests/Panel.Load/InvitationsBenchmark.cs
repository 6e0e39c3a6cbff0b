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
/// has been accepted by a real SMTP server (aiosmtpd writing a Maildir). Runs its own Membership process on a
/// database and RabbitMQ virtual host of its own (dropped afterwards unless --keep), with generated members
/// (the generate command's generator; their events stored as relayed so the relay does not compete).
/// </summary>
internal static class InvitationsBenchmark
{
    public static async Task<int> RunAsync(Args a)
    {
        var target = a.Int("--members", 50_000);
        var seed = a.Int("--seed", Generate.DefaultSeed);
        var concurrency = a.Int("--smtp-concurrency", 4);
        var batch = a.Int("--batch", 50);
        var keep = Array.IndexOf(Environment.GetCommandLineArgs(), "--keep") >= 0;
        var dll = a.Value("--membership-dll") ?? Path.GetFullPath("services/Membership/Panel.Membership/bin/Release/net10.0/Panel.Membership.dll");
        if (!File.Exists(dll))
        {
            throw new UsageException($"Membership is not built: {dll} (dotnet build services/Membership/Panel.Membership -c Release, or --membership-dll PATH)");
        }

        var admin = new NpgsqlConnectionStringBuilder(a.RequireMembership());
        var bus = Environment.GetEnvironmentVariable("ConnectionStrings__eventbus") ?? Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ")
            ?? throw new UsageException("RabbitMQ is needed: ConnectionStrings__eventbus (eval \"$(deploy/local/servers.sh env)\")");
        var management = new Uri(Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672");
        var busUri = new Uri(bus);
        var userInfo = busUri.UserInfo.Split(':', 2);
        var name = "invbench_" + Guid.NewGuid().ToString("N")[..8];
        var database = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = true, MaxPoolSize = 20 }.ConnectionString;
        using var http = new HttpClient { BaseAddress = management };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.UnescapeDataString(userInfo[0])}:{Uri.UnescapeDataString(userInfo[1])}")));
        var work = Directory.CreateTempSubdirectory("panel-invbench-");
        var maildir = Path.Combine(work.FullName, "maildir");
        Process? smtp = null;
        Process? membership = null;
        Console.WriteLine($"invitations benchmark: {target:N0} invitations, seed {seed}, SMTP workers {concurrency}, batch {batch}; database {name}, vhost {name}");
        try
        {
            await using (var server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = "postgres" }.ConnectionString))
            {
                await server.CreateCommand($"CREATE DATABASE {name}").ExecuteNonQueryAsync();
            }

            (await http.PutAsJsonAsync($"/api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"/api/permissions/{name}/{Uri.EscapeDataString(Uri.UnescapeDataString(userInfo[0]))}",
                new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
            var vhostUri = new UriBuilder(busUri) { Path = "/" + name }.Uri.ToString();

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var smtpPort = FreePort();
            var httpPort = FreePort();
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
                ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
            };

            // Migrations first, so the generator has tables.
            var migrate = StartProcess("dotnet", [dll, "--contentRoot", Path.GetDirectoryName(dll)!, "--migrate"], environment, Path.Combine(work.FullName, "migrate.log"));
            await migrate.WaitForExitAsync();
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException($"Membership --migrate failed ({migrate.ExitCode}); see {work.FullName}/migrate.log");
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

            smtp = StartProcess("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{smtpPort}", "-c", "aiosmtpd.handlers.Mailbox", maildir], [], Path.Combine(work.FullName, "smtp.log"));
            membership = StartProcess("dotnet", [dll, "--contentRoot", Path.GetDirectoryName(dll)!], environment, Path.Combine(work.FullName, "membership.log"));
            await WaitAsync(async () =>
            {
                try
                {
                    using var probe = new HttpClient();
                    return (await probe.GetAsync($"http://127.0.0.1:{httpPort}/alive")).IsSuccessStatusCode && IsListening(smtpPort);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "Membership and the SMTP sink to start");
            // The consumer's queue is bound once the bus has started; give it a moment.
            await Task.Delay(2000);

            var survey = Guid.NewGuid();
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
            var clock = Stopwatch.StartNew();
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
            long issued = 0;
            var lastPrint = TimeSpan.Zero;
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

                var accepted = Directory.Exists(Path.Combine(maildir, "new")) ? Directory.EnumerateFiles(Path.Combine(maildir, "new")).Count() : 0;
                if (issuedAt is not null && accepted >= issued)
                {
                    break;
                }

                if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
                {
                    lastPrint = clock.Elapsed;
                    Console.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds:0} s: {accepted:N0} emails accepted by SMTP"));
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(15) || membership.HasExited)
                {
                    throw new TimeoutException($"gave up after {clock.Elapsed}: {accepted:N0} emails accepted (see {work.FullName}/membership.log)");
                }

                await Task.Delay(50);
            }

            var total = clock.Elapsed;
            var sentMarked = Convert.ToInt64(await data.CreateCommand($"SELECT count(*) FROM invitations WHERE survey_id = '{survey}' AND sent_at IS NOT NULL").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var events = Convert.ToInt64(await data.CreateCommand("SELECT count(*) FROM outbox_messages WHERE message_type = 'Panel.Contracts.SurveyInvitationsIssued'").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var sendSeconds = (total - issuedAt!.Value).TotalSeconds;
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"SurveyOpened published → {issued:N0} invitations issued:        {issuedAt.Value.TotalSeconds,7:0.00} s"));
            Console.WriteLine(FormattableString.Invariant($"SurveyOpened published → all {issued:N0} emails accepted by SMTP: {total.TotalSeconds,7:0.00} s   (target < 60 s)"));
            Console.WriteLine(FormattableString.Invariant($"sending alone: {sendSeconds:0.00} s = {issued / sendSeconds:N0} emails/s over {concurrency} SMTP connections; overall {issued / total.TotalSeconds:N0} invitations/s"));
            Console.WriteLine(FormattableString.Invariant($"SurveyInvitationsIssued events: {events} (≤ 1000 invitations each); invitations marked sent when the last email was accepted: {sentMarked:N0}"));
            return 0;
        }
        finally
        {
            foreach (var p in new[] { membership, smtp })
            {
                if (p is { HasExited: false })
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
            }

            if (!keep)
            {
                NpgsqlConnection.ClearAllPools();
                await using (var server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = "postgres" }.ConnectionString))
                {
                    await server.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").ExecuteNonQueryAsync();
                }

                await http.DeleteAsync($"/api/vhosts/{name}");
                work.Delete(recursive: true);
            }
            else
            {
                Console.WriteLine($"kept: database {name}, vhost {name}, logs and maildir in {work.FullName}");
            }
        }
    }

    private static Process StartProcess(string file, string[] args, Dictionary<string, string> environment, string log)
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
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

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
