using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Panel.Load;

/// <summary>
/// answers: residents submit answers through the gateway (POST /api/surveys/answering/invitation/submit,
/// token in the body, as the answering page does) for N seconds with C concurrent clients; then, in the same
/// run, a plain PostgreSQL loop does the same work in SQL (mark one invitation answered, insert one answer row)
/// with the same concurrency. Each is first run --warmup seconds unmeasured (jit, tiering, connection pools).
/// Prints both throughputs, p50/p95/p99 and the ratio (target ≥ 0.5). Between the two it measures the floor of
/// the HTTP path (the same request refused before any database work), to tell the HTTP path's share of an
/// answer's cost from the database work's.
///
/// Set-up: a coordinator (the staff credentials) creates a survey from the customer-experience template,
/// submits and approves it to open now, through the gateway. The invitations are written straight into
/// Surveys' <c>invitations</c> table (benchmark-only: the rows SurveyInvitationsIssued would have stored), so
/// the tokens are known here; no member is invited and no email is sent.
/// </summary>
internal static class AnswersBenchmark
{
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Lempäälä", "Pirkkala", "Orivesi", "Sastamala"];
    private static readonly string[] AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    public static async Task<int> RunAsync(Args a)
    {
        var seconds = a.Int("--seconds", 20);
        var warmup = a.Int("--warmup", 5);
        var concurrency = a.Int("--concurrency", 32);
        var invitations = a.Int("--invitations", 60_000);
        var surveysDb = a.Value("--surveys-postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__surveysdb")
            ?? throw new UsageException("Surveys' database is needed: --surveys-postgres CONN or ConnectionStrings__surveysdb (eval \"$(deploy/local/servers.sh env)\")");
        // --direct URL: the answers go straight to Surveys (with a token as the gateway mints it), to tell the
        // gateway's share of the time from the service's; the survey is still set up through the gateway.
        var direct = a.Value("--direct") is { } d ? new Uri(d) : null;
        var (email, password) = a.StaffCredentials();
        using var staff = await StaffClient.SignInAsync(a.Gateway, email, password);
        await using var surveys = NpgsqlDataSource.Create(surveysDb);

        var surveyId = await OpenSurveyAsync(staff);
        Console.WriteLine($"answers through the gateway {a.Gateway} for {seconds} s with {concurrency} clients; survey {surveyId} open; {invitations:N0} invitations");

        var tokens = NewTokens(invitations);
        await WriteInvitationsAsync(surveys, "invitations", surveyId, tokens);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = direct ?? a.Gateway };
        if (direct is not null)
        {
            using var key = GatewayTokens.LoadKey();
            http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayTokens.Mint(key, "surveys", "public", "public"));
        }

        var next = -1;
        var statuses = new Dictionary<HttpStatusCode, int>();
        Func<int, int, Task<bool?>> submit = async (worker, i) =>
        {
            var n = Interlocked.Increment(ref next);
            if (n >= tokens.Length)
            {
                return null;
            }

            using var response = await http.PostAsJsonAsync("/api/surveys/answering/invitation/submit", new
            {
                token = tokens[n],
                answers = new Dictionary<string, object>
                {
                    ["nps"] = n % 11,
                    ["reason"] = "Palvelu oli nopeaa ja ystävällistä.",
                    ["contact-again"] = n % 2 == 0 ? "yes" : "no",
                },
            });
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lock (statuses)
                {
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                }
            }

            return response.StatusCode == HttpStatusCode.OK;
        };
        // Warm-up, not measured: the services' code is jitted and tiered up, their connection pools filled.
        await Throughput.MeasureAsync(warmup, concurrency, submit);
        statuses.Clear();
        var panel = await Throughput.MeasureAsync(seconds, concurrency, submit);
        Throughput.Print(direct is null ? "panel answers (gateway → surveys → PostgreSQL)" : $"panel answers straight to Surveys at {direct} (no gateway)", panel);
        if (statuses.Count > 0)
        {
            Console.WriteLine("not accepted: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}")));
        }

        if (next >= tokens.Length)
        {
            Console.WriteLine($"all {tokens.Length:N0} invitations were used before the time was up: run with a larger --invitations");
        }

        // The floor of the HTTP path: the same request without a token, which Surveys refuses (400) after the
        // gateway, authentication and reading the body, before any database work. What an answer costs beyond
        // this is Surveys' own work and the database's.
        Func<int, int, Task<bool?>> empty = async (worker, i) =>
        {
            using var response = await http.PostAsJsonAsync("/api/surveys/answering/invitation/submit", new
            {
                answers = new Dictionary<string, object> { ["nps"] = i % 11, ["reason"] = "Palvelu oli nopeaa ja ystävällistä.", ["contact-again"] = "yes" },
            });
            return response.StatusCode == HttpStatusCode.BadRequest;
        };
        await Throughput.MeasureAsync(Math.Min(warmup, 5), concurrency, empty);
        var floor = await Throughput.MeasureAsync(seconds, concurrency, empty);
        Throughput.Print("floor: the same request refused before any database work (400), same concurrency", floor);

        // The same work in plain SQL: one invitation marked answered (only if not yet) and one answer row, in one transaction.
        await ExecuteAsync(surveys, """
            CREATE TABLE bench_invitations (token_hash varchar(64) PRIMARY KEY, survey_id uuid NOT NULL, profile jsonb NOT NULL,
                                            language varchar(2) NOT NULL, opened boolean NOT NULL, answered boolean NOT NULL);
            CREATE TABLE bench_responses (id uuid PRIMARY KEY, survey_id uuid NOT NULL, definition_version int NOT NULL,
                                          submitted_on date NOT NULL, channel text NOT NULL, profile jsonb, answers jsonb NOT NULL);
            """);
        try
        {
            await WriteInvitationsAsync(surveys, "bench_invitations", surveyId, tokens);
            var hashes = tokens.Select(Hash).ToArray();
            var taken = -1;
            Func<int, int, Task<bool?>> plain = async (worker, i) =>
            {
                var n = Interlocked.Increment(ref taken);
                if (n >= hashes.Length)
                {
                    return null;
                }

                await using var connection = await surveys.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                await using var update = new NpgsqlCommand(
                    "UPDATE bench_invitations SET answered = true WHERE token_hash = $1 AND NOT answered RETURNING profile", connection, tx);
                update.Parameters.AddWithValue(hashes[n]);
                var profile = (string?)await update.ExecuteScalarAsync();
                if (profile is null)
                {
                    return false;
                }

                await using var insert = new NpgsqlCommand(
                    "INSERT INTO bench_responses VALUES ($1, $2, 1, current_date, 'invitation', $3::jsonb, $4::jsonb)", connection, tx);
                insert.Parameters.AddWithValue(Guid.NewGuid());
                insert.Parameters.AddWithValue(surveyId);
                insert.Parameters.AddWithValue(profile);
                insert.Parameters.AddWithValue($$"""{"nps":{{n % 11}},"reason":"Palvelu oli nopeaa ja ystävällistä.","contact-again":"yes"}""");
                await insert.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                return true;
            };
            await Throughput.MeasureAsync(warmup, concurrency, plain);
            var baseline = await Throughput.MeasureAsync(seconds, concurrency, plain);
            Throughput.Print("baseline: plain PostgreSQL update + insert loop, same concurrency", baseline);
            Console.WriteLine(FormattableString.Invariant($"ratio panel/baseline throughput: {panel.PerSecond / baseline.PerSecond:0.00} (target ≥ 0.5)"));
        }
        finally
        {
            await ExecuteAsync(surveys, "DROP TABLE IF EXISTS bench_invitations; DROP TABLE IF EXISTS bench_responses;");
        }

        // Close the survey so its unused invitations are not left open.
        await staff.PostJsonAsync($"/api/surveys/{surveyId}/close", new { });
        return 0;
    }

    /// <summary>Creates, submits and approves a customer-experience survey to open now; waits until it is open.</summary>
    private static async Task<Guid> OpenSurveyAsync(StaffClient staff)
    {
        using var options = JsonDocument.Parse(await staff.GetOkAsync("/api/surveys/options"));
        var area = options.RootElement.GetProperty("serviceAreas")[0].GetString();
        var (status, body) = await staff.PostJsonAsync("/api/surveys/from-template", new { templateId = "customer-experience", serviceArea = area });
        Expect(status, HttpStatusCode.Created, "creating the survey", body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        (status, body) = await staff.PostJsonAsync($"/api/surveys/{id}/submit", new { });
        Expect(status, HttpStatusCode.OK, "submitting it for review", body);
        var opens = DateTimeOffset.UtcNow.AddSeconds(2);
        (status, body) = await staff.PostJsonAsync($"/api/surveys/{id}/approve", new { opensAt = opens, closesAt = opens.AddDays(1), comment = "benchmark" });
        Expect(status, HttpStatusCode.OK, "approving it", body);
        for (var i = 0; i < 120; i++)
        {
            using var survey = JsonDocument.Parse(await staff.GetOkAsync($"/api/surveys/{id}"));
            if (survey.RootElement.GetProperty("state").ToString().Equals("open", StringComparison.OrdinalIgnoreCase))
            {
                return id;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"Survey {id} did not open within a minute of its opening time.");
    }

    private static void Expect(HttpStatusCode status, HttpStatusCode expected, string what, string body)
    {
        if (status != expected && !(expected == HttpStatusCode.Created && status == HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"{what} answered {(int)status}: {StaffClient.Shorten(body)}");
        }
    }

    private static string[] NewTokens(int count) =>
        Enumerable.Range(0, count).Select(_ => Base64Url(RandomNumberGenerator.GetBytes(32))).ToArray();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The invitation rows (hash, survey, coarse profile, language), by binary COPY.</summary>
    private static async Task WriteInvitationsAsync(NpgsqlDataSource db, string table, Guid surveyId, string[] tokens)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (token_hash, survey_id, profile, language, opened, answered) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < tokens.Length; i++)
        {
            var profile = JsonSerializer.Serialize(new
            {
                ageBand = AgeBands[i % AgeBands.Length],
                municipality = Municipalities[i % Municipalities.Length],
                gender = i % 3 == 0 ? "woman" : i % 3 == 1 ? "man" : null,
                language = "fi",
                isClient = i % 2 == 0,
            });
            await writer.StartRowAsync();
            await writer.WriteAsync(Hash(tokens[i]), NpgsqlDbType.Varchar);
            await writer.WriteAsync(surveyId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(profile, NpgsqlDbType.Jsonb);
            await writer.WriteAsync("fi", NpgsqlDbType.Varchar);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean);
        }

        await writer.CompleteAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
