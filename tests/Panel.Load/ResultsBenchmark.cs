using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;
using Panel.Load.Generation;

namespace Panel.Load;

/// <summary>
/// results: times survey results over a survey of 100 000 and 1 000 000 answer sets (target: under 2 s for 1 M).
/// With --gateway URL the requests go through the gateway as a signed-in staff member (the sign-in form, then the
/// staff cookie, as a browser: PANEL_STAFF_EMAIL / PANEL_STAFF_PASSWORD); without it they go to the Reporting
/// service directly (--reporting URL), with a token minted as the gateway mints one (ES256, the gateway's private key
/// from GatewayToken__PrivateKey or .local/secrets/gateway-token.key), for a Coordinator. Timed: the unfiltered report, one cross-tab (nps by municipality) and one filtered report
/// (three age bands); 3 warm-up requests each, then --requests sequential ones, p50/p95/max.
///
/// How the answer sets get into Reporting's read model:
/// <list type="bullet">
/// <item>the survey's SurveyApproved, and a verification sample of --verify answer sets (default 2 000), go through
/// the real consumers: they are stored as events in Reporting's own outbox (benchmark only; in production they come
/// from Surveys' outbox), its relay publishes them over RabbitMQ and Reporting's consumers apply them;</item>
/// <item>the bulk goes by the benchmark-only direct path: the same answer sets summed in memory by the same rules as
/// Reporting's <c>ResultsCube.Deltas</c> (copied below; Load does not reference the service), rolled up per profile
/// attribute and audience as <c>ResultsCube.ApplyAsync</c> does, and added to survey_answer_rollups /
/// survey_free_texts with binary COPY and one upsert. The verification applies the direct path to the same sample
/// under a second survey id and checks that the two surveys' rollups are identical row for row.</item>
/// </list>
/// The survey's answer sets stay, so running again with a larger size only adds the difference.
/// </summary>
internal static class ResultsBenchmark
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string[] AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    public static async Task<int> RunAsync(Args a)
    {
        var sizes = a.Ints("--answers", 100_000, 1_000_000);
        var requests = a.Int("--requests", 20);
        var verify = a.Int("--verify", 2000);
        var seed = a.Int("--seed", 2026);
        var viaGateway = a.Value("--gateway") is not null;
        var reportingUrl = new Uri(a.Value("--reporting") ?? "http://127.0.0.1:5084");
        var connection = a.Reporting ?? throw new UsageException("Reporting's database is needed: --reporting-postgres CONN or ConnectionStrings__reportingdb");
        await using var db = NpgsqlDataSource.Create(connection);
        using var key = viaGateway ? null : GatewayTokens.LoadKey();
        StaffClient? staff = null;
        if (viaGateway)
        {
            var (email, password) = a.StaffCredentials();
            staff = await StaffClient.SignInAsync(a.Gateway, email, password);
        }

        using var signedIn = staff;
        using var direct = viaGateway ? null : new HttpClient { BaseAddress = reportingUrl, Timeout = TimeSpan.FromMinutes(2) };
        var http = staff?.Http ?? direct!;

        var surveyId = DeterministicGuid($"results-benchmark-{seed}");
        Console.WriteLine(viaGateway
            ? $"results benchmark: survey {surveyId}, through the gateway at {a.Gateway} as a signed-in staff member, database {new NpgsqlConnectionStringBuilder(connection).Database}"
            : $"results benchmark: survey {surveyId}, Reporting at {reportingUrl} (directly, token minted as the gateway does), database {new NpgsqlConnectionStringBuilder(connection).Database}");
        await EnsureSurveyAsync(db, surveyId);

        if (verify > 0)
        {
            await VerifyAsync(db, verify, seed);
        }

        foreach (var size in sizes)
        {
            var have = await AnswerSetsAsync(db, surveyId);
            if (have < size)
            {
                var sw = Stopwatch.StartNew();
                for (var from = have; from < size; from += 250_000)
                {
                    var to = Math.Min(size, from + 250_000);
                    var batch = Enumerable.Range((int)from, (int)(to - from)).Select(i => Generate(surveyId, seed, i)).ToList();
                    await ApplyDirectAsync(db, surveyId, batch);
                }

                Console.WriteLine($"direct path: {size - have:N0} answer sets added in {sw.Elapsed.TotalSeconds:0.0} s");
            }

            var cubeRows = await ScalarAsync(db, "SELECT count(*) FROM survey_answer_rollups WHERE survey_id = $1", surveyId);
            Console.WriteLine($"== {await AnswerSetsAsync(db, surveyId):N0} answer sets, {cubeRows:N0} rollup rows (all attributes), load average {LoadAverage()}");
            var token = key is null ? null : Token(key);
            await TimeAsync(http, token, $"/api/reporting/surveys/{surveyId}/results", "results", requests);
            await TimeAsync(http, token, $"/api/reporting/surveys/{surveyId}/crosstab?question=nps&by=municipality", "crosstab nps by municipality", requests);
            await TimeAsync(http, token, $"/api/reporting/surveys/{surveyId}/results?ageBand=65-74,75-84,85%2B", "results filtered by 3 age bands", requests);
            Console.WriteLine($"   load average after the requests: {LoadAverage()}");
        }

        return 0;
    }

    private static async Task TimeAsync(HttpClient http, string? token, string path, string name, int requests)
    {
        async Task<double> OnceAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var sw = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            sw.Stop();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {body}");
            return sw.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < 3; i++) await OnceAsync();
        var times = new List<double>();
        for (var i = 0; i < requests; i++) times.Add(await OnceAsync());
        times.Sort();
        double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        Console.WriteLine(FormattableString.Invariant($"  {name,-34} p50 {P(0.5),7:0} ms   p95 {P(0.95),7:0} ms   max {times[^1],7:0} ms   ({requests} requests)"));
    }

    // ---- the survey ----------------------------------------------------------------------------------------------

    private static Dictionary<string, string> T(string text) => new() { ["fi"] = text };

    private static SurveyChoiceSnapshot C(string id) => new(id, T(id), null);

    private static SurveyQuestionSnapshot Q(string id, string type, string[]? options = null, string[]? rows = null, string[]? scale = null,
        int? rankCount = null, int? vouchers = null, decimal? min = null, decimal? max = null) =>
        new(id, type, T(id), false, null, (options ?? []).Select(C).ToList(), (rows ?? []).Select(C).ToList(), (scale ?? []).Select(C).ToList(),
            null, null, rankCount, vouchers, min, max, null, null, type == "free-text" ? 1000 : null);

    private static readonly IReadOnlyList<SurveyQuestionSnapshot> Questions =
    [
        Q("single", "single-choice", options: ["a", "b", "c", "d"]),
        Q("multi", "multiple-choice", options: ["x", "y", "z"]),
        Q("likert", "likert", scale: ["1", "2", "3", "4", "5"], min: 1, max: 5),
        Q("nps", "nps", scale: ["0", "10"], min: 0, max: 10),
        Q("number", "number", min: 0, max: 100),
        Q("text", "free-text"),
        Q("rank", "ranking", options: ["r1", "r2", "r3", "r4"], rankCount: 3),
        Q("matrix", "matrix", rows: ["m1", "m2", "m3"], scale: ["s1", "s2", "s3", "s4", "s5"]),
        Q("budget", "budget", options: ["p1", "p2", "p3", "p4"], vouchers: 10),
    ];

    private static readonly string[] Municipalities = County.Pirkanmaa.Municipalities.Select(m => m.Name).ToArray();
    private static readonly double[] MunicipalityWeights = County.Pirkanmaa.Municipalities.Select(m => (double)m.Population).ToArray();

    private static ResponseSubmitted Generate(Guid surveyId, int seed, int index)
    {
        var r = new Random(HashCode.Combine(seed, index));
        string Pick(string[] values) => values[r.Next(values.Length)];
        string Weighted(string[] values, double[] weights)
        {
            var x = r.NextDouble() * weights.Sum();
            for (var i = 0; i < values.Length; i++) if ((x -= weights[i]) < 0) return values[i];
            return values[^1];
        }

        var openLink = r.NextDouble() < 0.1;
        var channel = openLink ? "open-link" : r.NextDouble() switch { < 0.8 => "invitation", < 0.93 => "signed-in", < 0.98 => "assisted", _ => "paper" };
        ProfileSnapshot? profile = openLink ? null : new ProfileSnapshot(
            Pick(AgeBands), Weighted(Municipalities, MunicipalityWeights),
            r.NextDouble() switch { < 0.5 => "woman", < 0.9 => "man", < 0.93 => "other", < 0.96 => "unspecified", _ => null },
            r.NextDouble() switch { < 0.88 => "fi", < 0.95 => "sv", _ => "en" },
            r.NextDouble() switch { < 0.4 => true, < 0.9 => false, _ => null });
        var answers = new List<AnswerSnapshot>
        {
            new("single", "single-choice", [Pick(["a", "b", "c", "d"])], null, null, null, null),
            new("multi", "multiple-choice", new[] { "x", "y", "z" }.Where(_ => r.NextDouble() < 0.4).ToList(), null, null, null, null),
            new("likert", "likert", null, r.Next(1, 6), null, null, null),
            new("nps", "nps", null, r.Next(0, 11), null, null, null),
            new("number", "number", null, r.Next(0, 101), null, null, null),
            new("rank", "ranking", new[] { "r1", "r2", "r3", "r4" }.OrderBy(_ => r.Next()).Take(3).ToList(), null, null, null, null),
            new("matrix", "matrix", null, null, null, new[] { "m1", "m2", "m3" }.ToDictionary(m => m, _ => Pick(["s1", "s2", "s3", "s4", "s5"])), null),
        };
        var first = r.Next(0, 11);
        var second = r.Next(0, 11 - first);
        answers.Add(new AnswerSnapshot("budget", "budget", null, null, null, null,
            new Dictionary<string, int> { ["p1"] = first, ["p2"] = second, ["p3"] = 10 - first - second, ["p4"] = 0 }));
        if (r.NextDouble() < 0.2)
        {
            answers.Add(new AnswerSnapshot("text", "free-text", null, null, $"Palaute {r.Next(1000):000}: parannettavaa on", null, null));
        }

        return new ResponseSubmitted(surveyId, 1, new DateOnly(2026, 11, 1).AddDays(r.Next(20)), channel, profile, answers);
    }

    // ---- the pipeline (outbox → relay → RabbitMQ → consumer) ------------------------------------------------------

    private static async Task WriteOutboxAsync<T>(NpgsqlDataSource db, IEnumerable<T> events) where T : class
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var writer = await conn.BeginBinaryImportAsync(
            "COPY outbox_messages (id, message_type, body, created_at, sent_at, attempts, next_attempt_at, trace_parent) FROM STDIN (FORMAT BINARY)");
        var now = DateTime.UtcNow;
        foreach (var e in events)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await writer.WriteAsync(typeof(T).FullName!, NpgsqlDbType.Varchar);
            await writer.WriteAsync(JsonSerializer.Serialize(e, Json), NpgsqlDbType.Jsonb);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await writer.WriteNullAsync();
            await writer.WriteAsync(0, NpgsqlDbType.Integer);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await writer.WriteNullAsync();
        }

        await writer.CompleteAsync();
    }

    private static async Task EnsureSurveyAsync(NpgsqlDataSource db, Guid surveyId)
    {
        if (await ScalarAsync(db, "SELECT count(*) FROM results_surveys WHERE survey_id = $1 AND stage > 0", surveyId) > 0) return;
        var definition = new SurveyDefinitionSnapshot("questionnaire", "benchmark", 5, ["fi"], T("Results benchmark"), T("Benchmark"), T("Benchmark"),
            [new SurveyPageSnapshot("p1", null, null, Questions)]);
        await WriteOutboxAsync(db, [new SurveyApproved(surveyId, 1, definition, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30), DateTimeOffset.UtcNow)]);
        await WaitAsync(() => ScalarAsync(db, "SELECT count(*) FROM results_surveys WHERE survey_id = $1 AND stage > 0", surveyId), 1, "the survey's approval");
    }

    private static async Task VerifyAsync(NpgsqlDataSource db, int count, int seed)
    {
        Guid pipeline = Guid.NewGuid(), direct = Guid.NewGuid();
        var sample = Enumerable.Range(0, count).Select(i => Generate(pipeline, seed + 1, i)).ToList();
        var sw = Stopwatch.StartNew();
        await WriteOutboxAsync(db, sample);
        await WaitAsync(() => AnswerSetsAsync(db, pipeline), count, $"{count} answer sets through the consumer");
        Console.WriteLine($"pipeline: {count:N0} ResponseSubmitted through Reporting's outbox relay, RabbitMQ and consumer in {sw.Elapsed.TotalSeconds:0.0} s ({count / sw.Elapsed.TotalSeconds:N0}/s)");
        await ApplyDirectAsync(db, direct, sample.Select(s => s with { SurveyId = direct }).ToList());
        const string columns = "attribute, audience, attribute_value, question_id, item, value, respondents, total";
        var differences = await ScalarAsync(db, $"""
            SELECT (SELECT count(*) FROM (SELECT {columns} FROM survey_answer_rollups WHERE survey_id = $1 EXCEPT ALL SELECT {columns} FROM survey_answer_rollups WHERE survey_id = $2) a)
                 + (SELECT count(*) FROM (SELECT {columns} FROM survey_answer_rollups WHERE survey_id = $2 EXCEPT ALL SELECT {columns} FROM survey_answer_rollups WHERE survey_id = $1) b)
            """, pipeline, direct);
        const string texts = "question_id, age_band, municipality, gender, language, is_client, channel, text";
        var textDifferences = await ScalarAsync(db, $"""
            SELECT (SELECT count(*) FROM (SELECT {texts} FROM survey_free_texts WHERE survey_id = $1 EXCEPT ALL SELECT {texts} FROM survey_free_texts WHERE survey_id = $2) a)
                 + (SELECT count(*) FROM (SELECT {texts} FROM survey_free_texts WHERE survey_id = $2 EXCEPT ALL SELECT {texts} FROM survey_free_texts WHERE survey_id = $1) b)
            """, pipeline, direct);
        var rows = await ScalarAsync(db, "SELECT count(*) FROM survey_answer_rollups WHERE survey_id = $1", pipeline);
        Console.WriteLine(differences == 0 && textDifferences == 0
            ? $"check: the direct path gives the consumer's rollups exactly ({rows:N0} rollup rows, free texts alike)"
            : $"CHECK FAILED: {differences} rollup rows and {textDifferences} free texts differ between the consumer and the direct path");
        foreach (var table in new[] { "survey_answer_rollups", "survey_free_texts" })
        {
            await using var cmd = db.CreateCommand($"DELETE FROM {table} WHERE survey_id = ANY($1)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = new[] { pipeline, direct } });
            await cmd.ExecuteNonQueryAsync();
        }

        if (differences != 0 || textDifferences != 0) throw new InvalidOperationException("the direct path does not match the consumer");
    }

    // ---- the direct path: Reporting's ResultsCube.Deltas, summed ---------------------------------------------------

    private readonly record struct Key(string Q, string Item, string Value, string AgeBand, string Municipality, string Gender, string Language, string IsClient, string Channel);

    private readonly record struct RollupKey(string Attribute, string Audience, string AttributeValue, string Q, string Item, string Value);

    private static string NumberKey(decimal n) => (n / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static async Task ApplyDirectAsync(NpgsqlDataSource db, Guid surveyId, IReadOnlyList<ResponseSubmitted> responses)
    {
        var cube = new Dictionary<RollupKey, (long N, decimal T)>();
        var texts = new List<(Key Cell, string Text)>();
        foreach (var m in responses)
        {
            var p = m.Profile;
            static string Clip(string? s, int max) { var t = (s ?? "").Trim(); return t.Length <= max ? t : t[..max]; }
            var cell = new Key("", "", "", Clip(p?.AgeBand, 10), Clip(p?.Municipality, 100), Clip(p?.Gender, 20), Clip(p?.Language, 10),
                p?.IsClient is { } c ? (c ? "true" : "false") : "", Clip(m.Channel, 20));
            var local = new Dictionary<(string, string, string), (long, decimal)>();
            void Add(string q, string item, string value, decimal total = 0)
            {
                if (q.Length == 0 || q.Length > 40 || item.Length > 40 || value.Length > 40) return;
                local[(q, item, value)] = local.TryGetValue((q, item, value), out var d) ? (d.Item1 + 1, d.Item2 + total) : (1, total);
            }

            Add("#", "", "");
            var seen = new HashSet<string>();
            foreach (var answer in m.Answers)
            {
                var q = answer.QuestionId;
                if (q.StartsWith('#') || !seen.Add(q)) continue;
                Add(q, "#", "");
                switch (answer.Type)
                {
                    case "single-choice": if (answer.Options is [var one, ..]) Add(q, "", one); break;
                    case "multiple-choice": foreach (var o in (answer.Options ?? []).Distinct()) Add(q, "", o); break;
                    case "ranking":
                        var rank = 0;
                        foreach (var o in (answer.Options ?? []).Distinct()) Add(q, o, (++rank).ToString(CultureInfo.InvariantCulture));
                        break;
                    case "likert" or "nps" or "number": if (answer.Number is { } n) Add(q, "", NumberKey(n)); break;
                    case "matrix": foreach (var (row, point) in answer.Matrix ?? new Dictionary<string, string>()) Add(q, row, point); break;
                    case "budget": foreach (var (option, vouchers) in answer.Allocation ?? new Dictionary<string, int>()) Add(q, option, "", vouchers); break;
                }
            }

            // Each answer set once under every profile attribute, in its audience (open-link apart from the rest).
            var audience = cell.Channel == "open-link" ? "open-link" : "panel";
            (string, string)[] attributes =
            [
                ("ageBand", cell.AgeBand), ("municipality", cell.Municipality), ("gender", cell.Gender),
                ("language", cell.Language), ("isClient", cell.IsClient), ("channel", cell.Channel),
            ];
            foreach (var ((q, item, value), (n, t)) in local)
            {
                foreach (var (attribute, attributeValue) in attributes)
                {
                    var key = new RollupKey(attribute, audience, attributeValue, q, item, value);
                    cube[key] = cube.TryGetValue(key, out var d) ? (d.N + n, d.T + t) : (n, t);
                }
            }

            // Generated texts hold no personal data, so masking (which the consumer does) leaves them as they are.
            foreach (var a in m.Answers.Where(a => a is { Type: "free-text", Text: { } t } && !string.IsNullOrWhiteSpace(t) && a.QuestionId.Length <= 40).DistinctBy(a => a.QuestionId))
            {
                texts.Add((cell with { Q = a.QuestionId }, a.Text!.Trim()));
            }
        }

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE bench_cube (LIKE survey_answer_rollups INCLUDING DEFAULTS) ON COMMIT DROP", conn, tx))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var writer = await conn.BeginBinaryImportAsync(
            "COPY bench_cube (survey_id, attribute, audience, attribute_value, question_id, item, value, respondents, total) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, (n, t)) in cube)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(surveyId, NpgsqlDbType.Uuid);
                foreach (var s in new[] { k.Attribute, k.Audience, k.AttributeValue, k.Q, k.Item, k.Value }) await writer.WriteAsync(s, NpgsqlDbType.Varchar);
                await writer.WriteAsync(n, NpgsqlDbType.Bigint);
                await writer.WriteAsync(t, NpgsqlDbType.Numeric);
            }

            await writer.CompleteAsync();
        }

        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO survey_answer_rollups SELECT * FROM bench_cube ORDER BY attribute, audience, attribute_value, question_id, item, value
            ON CONFLICT (survey_id, attribute, audience, attribute_value, question_id, item, value)
            DO UPDATE SET respondents = survey_answer_rollups.respondents + EXCLUDED.respondents, total = survey_answer_rollups.total + EXCLUDED.total
            """, conn, tx))
        {
            upsert.CommandTimeout = 600;
            await upsert.ExecuteNonQueryAsync();
        }

        await using (var writer = await conn.BeginBinaryImportAsync(
            "COPY survey_free_texts (id, survey_id, question_id, age_band, municipality, gender, language, is_client, channel, text) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, text) in texts)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(surveyId, NpgsqlDbType.Uuid);
                foreach (var s in new[] { k.Q, k.AgeBand, k.Municipality, k.Gender, k.Language, k.IsClient, k.Channel }) await writer.WriteAsync(s, NpgsqlDbType.Varchar);
                await writer.WriteAsync(text, NpgsqlDbType.Text);
            }

            await writer.CompleteAsync();
        }

        await tx.CommitAsync();
        await using var analyze = db.CreateCommand("ANALYZE survey_answer_rollups");
        await analyze.ExecuteNonQueryAsync();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)" : "unknown";

    private static Task<long> AnswerSetsAsync(NpgsqlDataSource db, Guid surveyId) =>
        ScalarAsync(db, "SELECT coalesce(sum(respondents), 0)::bigint FROM survey_answer_rollups WHERE survey_id = $1 AND attribute = 'channel' AND question_id = '#'", surveyId);

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task WaitAsync(Func<Task<long>> probe, long want, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (await probe() < want)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Reporting did not apply {what} within 10 minutes (is the Reporting service running on this database?)");
            await Task.Delay(200);
        }
    }

    private static Guid DeterministicGuid(string name)
    {
        var bytes = MD5.HashData(Encoding.UTF8.GetBytes(name));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A Coordinator's token as the gateway mints one for Reporting.</summary>
    private static string Token(ECDsa key) => GatewayTokens.Mint(key, "reporting", "results-benchmark", "staff", "Coordinator");
}
