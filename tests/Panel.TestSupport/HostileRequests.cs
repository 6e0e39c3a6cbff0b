using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit;

namespace Panel.TestSupport;

/// <summary>
/// A property test over a service's whole API, read from its committed OpenAPI document: every operation gets generated
/// requests with hostile parts (NUL and half surrogate pairs in strings, query values and path segments; a character
/// set other than UTF-8; invalid UTF-8; numbers, dates and strings at and past their limits; wrong types; deep
/// nesting), as staff with every role, as a signed-in resident and as the public. No answer may be a 5xx, text the
/// boundary refuses is refused with 400 or 415, and no refused request leaves anything in the database (every string
/// a request carries holds a marker, looked for in the database afterwards).
/// </summary>
public static class HostileRequests
{
    /// <summary>How a request is made hostile.</summary>
    public enum Kind
    {
        NulInString,
        HighSurrogateInString,
        LowSurrogateInString,
        NulInQuery,
        NulInPath,
        Charset,
        InvalidUtf8,
        LongString,
        ExtremeNumber,
        ExtremeDate,
        WrongType,
        DeepNesting,
        UnusualText,
    }

    /// <summary>The kinds the boundary refuses whatever the operation (when the part they change exists).</summary>
    public static bool IsRefusedAtBoundary(Kind kind) =>
        kind is Kind.NulInString or Kind.HighSurrogateInString or Kind.LowSurrogateInString or Kind.NulInQuery or Kind.NulInPath or Kind.Charset;

    public sealed record Operation(string Method, string Path, JsonObject Definition);

    public sealed record Outcome(Operation Operation, Kind Kind, bool Changed, int Status, string Request);

    private static readonly string[] Charsets = ["utf-16", "iso-8859-1", "x-unknown", "\"\"", "utf-7", "ebcdic", "utf-8; charset=latin1"];
    private static readonly string[] Unusual = ["\u202Eevil", "e\u0301\u0301\u0301", "\uFFFF\uFFFE", "😀👩‍👩‍👧", "\u200B", "'; DROP TABLE x;--", "{{7*7}}", "<script>x</script>", "\t\r\n", "ℌ𝔢𝔩𝔩𝔬"];

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Panel.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.GetEnvironmentVariable("PANEL_REPO_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "Panel.sln"))
            ? root
            : throw new InvalidOperationException($"Panel.sln not found above {AppContext.BaseDirectory}; set PANEL_REPO_ROOT.");
    }

    /// <summary>The operations of docs/openapi/Panel.{service}.json.</summary>
    public static (JsonObject Document, IReadOnlyList<Operation> Operations) Read(string service)
    {
        var file = Path.Combine(RepoRoot(), "docs", "openapi", $"Panel.{char.ToUpperInvariant(service[0])}{service[1..]}.json");
        var document = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "patch" or "delete")
                {
                    operations.Add(new Operation(method.ToUpperInvariant(), path, operation!.AsObject()));
                }
            }
        }

        return (document, operations);
    }

    /// <summary>
    /// Sends <paramref name="iterations"/> generated hostile requests per operation to <paramref name="client"/> (the
    /// service itself, or the gateway's proxy) and checks every answer and, at the end, <paramref name="database"/>.
    /// </summary>
    /// <param name="tokens">The bearer tokens to send with (null: none), one chosen per request.</param>
    /// <param name="pathValues">
    /// Values of path parameters that name something that exists (a survey open for answers, …), so that hostile bodies
    /// reach the code behind the lookups; an unknown value is sent too now and then.
    /// </param>
    public static async Task<IReadOnlyList<Outcome>> CheckAsync(
        string service, HttpClient client, IReadOnlyList<string?> tokens, TestDatabase database,
        IReadOnlyDictionary<string, string[]>? pathValues = null, int iterations = 12, string? seed = null)
    {
        var (document, operations) = Read(service);
        Assert.NotEmpty(operations);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Outcome>();
        var refusedMarkers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var kinds = Enum.GetValues<Kind>();
        var gen = Gen.Select(Gen.Int[0, operations.Count - 1], Gen.Int[0, kinds.Length - 1], Gen.Int[0, tokens.Count - 1], Gen.Int[0, 1_000_000]);

        await gen.SampleAsync(async (op, kind, token, choice) =>
        {
            var operation = operations[op];
            var marker = "hx" + Guid.NewGuid().ToString("N")[..12];
            var builder = new RequestBuilder(document, operation, kinds[kind], marker, choice, pathValues ?? new Dictionary<string, string[]>());
            using var request = builder.Build();
            if (tokens[token] is { } bearer)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            var described = $"{kinds[kind]} {request.Method} {request.RequestUri}\n{builder.BodyText}";
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (InvalidOperationException e) when (kinds[kind] == Kind.NulInPath && e.Message.Contains("null characters", StringComparison.Ordinal))
            {
                // The in-process test server refuses a NUL in the path before the service sees it, as Kestrel does (400).
                refusedMarkers.Add(marker);
                outcomes.Add(new Outcome(operation, kinds[kind], builder.Changed, 400, described));
                return;
            }

            using var _ = response;
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{status} for {described}\n{await response.Content.ReadAsStringAsync()}");
            if (builder.Changed && IsRefusedAtBoundary(kinds[kind]))
            {
                Assert.True(status is >= 400 and < 500, $"{status} (not refused) for {described}");
            }

            // Refused as invalid for its hostile part, it must leave nothing. (A request refused for another reason may
            // leave its audit entry: a support lookup of an unknown email, 404, is audited with its reason.)
            if (builder.Changed && (IsRefusedAtBoundary(kinds[kind]) || status is 400 or 413 or 415 or 422))
            {
                refusedMarkers.Add(marker);
            }

            outcomes.Add(new Outcome(operation, kinds[kind], builder.Changed, status, described));
        }, iter: iterations * operations.Count, threads: 1, seed: seed);

        var stored = await database.DumpTextAsync();
        var leaked = refusedMarkers.Where(m => stored.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{leaked.Count} refused request(s) left data behind: " + string.Join(", ", outcomes.Where(o => leaked.Any(m => o.Request.Contains(m, StringComparison.Ordinal))).Select(o => o.Request).Take(3)));
        return [.. outcomes];
    }

    /// <summary>One request for an operation: a plausible one, with one part made hostile as <paramref name="kind"/> says.</summary>
    private sealed class RequestBuilder(
        JsonObject document, Operation operation, Kind kind, string marker, int seed, IReadOnlyDictionary<string, string[]> known)
    {
        private const string Hole = "\u0001HOLE\u0001";
        private int _strings;
        private int _target = -1;
        private Random random = new(seed);

        /// <summary>Whether the hostile part found a place in this operation (an operation without a body has no body to spoil).</summary>
        public bool Changed { get; private set; }

        public string BodyText { get; private set; } = "";

        public HttpRequestMessage Build()
        {
            var parameters = operation.Definition["parameters"]?.AsArray().Select(p => Resolve(p!.AsObject())).OfType<JsonObject>().ToList() ?? [];
            var path = operation.Path;
            foreach (var parameter in parameters.Where(p => (string?)p["in"] == "path"))
            {
                var name = (string)parameter["name"]!;
                var value = known.TryGetValue(name, out var existing) && existing.Length > 0 && random.Next(5) > 0
                    ? existing[random.Next(existing.Length)]
                    : Scalar(Resolve(parameter["schema"]?.AsObject()));
                var text = kind == Kind.NulInPath ? Mark(marker + "%00") : Uri.EscapeDataString(value?.ToString() ?? marker);
                path = path.Replace("{" + name + "}", text, StringComparison.Ordinal);
            }

            var query = new List<string>();
            foreach (var parameter in parameters.Where(p => (string?)p["in"] == "query"))
            {
                var name = (string)parameter["name"]!;
                var value = kind == Kind.NulInQuery ? Mark(marker + "%00x") : Uri.EscapeDataString(QueryValue(Resolve(parameter["schema"]?.AsObject())));
                query.Add($"{Uri.EscapeDataString(name)}={value}");
            }

            if (kind == Kind.NulInQuery && query.Count == 0)
            {
                // A parameter the operation does not declare is read by nobody, and still refused.
                query.Add("x=" + Mark(marker + "%00"));
            }

            var request = new HttpRequestMessage(new HttpMethod(operation.Method), path + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            var content = operation.Definition["requestBody"]?["content"]?.AsObject();
            if (content is null)
            {
                // A body the operation does not take, with the hostile part in it: nobody reads it, and it is still refused.
                if (kind is Kind.Charset or Kind.NulInString or Kind.HighSurrogateInString or Kind.LowSurrogateInString)
                {
                    request.Content = JsonBody(new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["x"] = new JsonObject { ["type"] = "string" } } });
                }

                return request;
            }

            if (content.ContainsKey("application/json") || content.Any(c => c.Key.EndsWith("+json", StringComparison.Ordinal)))
            {
                var schema = Resolve(content.First(c => c.Key.Contains("json", StringComparison.Ordinal)).Value?["schema"]?.AsObject());
                request.Content = JsonBody(schema);
            }
            else if (content.ContainsKey("multipart/form-data"))
            {
                request.Content = MultipartBody(Resolve(content["multipart/form-data"]?["schema"]?.AsObject()));
            }

            return request;
        }

        private string Mark(string text)
        {
            Changed = true;
            return text;
        }

        private HttpContent JsonBody(JsonObject? schema)
        {
            // Twice with the same choices: first to count the strings, then with one of them as the target.
            random = new Random(seed);
            Sample(schema, 0);
            _target = _strings > 0 ? new Random(seed).Next(_strings) : -1;
            _strings = 0;
            random = new Random(seed);
            var body = Sample(schema, 0);
            var text = kind == Kind.DeepNesting ? Mark(new string('[', 5000) + new string(']', 5000)) : body?.ToJsonString() ?? "null";
            byte[] bytes;
            var hole = System.Text.Json.JsonSerializer.Serialize(Hole);
            if (text.Contains(hole[1..^1], StringComparison.Ordinal))
            {
                Changed = true;
                var (left, right) = (text[..text.IndexOf(hole[1..^1], StringComparison.Ordinal)], text[(text.IndexOf(hole[1..^1], StringComparison.Ordinal) + hole.Length - 2)..]);
                var bad = kind switch
                {
                    Kind.NulInString => "\\u0000",
                    Kind.HighSurrogateInString => "\\ud800",
                    Kind.LowSurrogateInString => "\\udc00",
                    _ => "",
                };
                bytes = kind == Kind.InvalidUtf8
                    ? [.. Encoding.UTF8.GetBytes(left), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(right)]
                    : Encoding.UTF8.GetBytes(left + bad + right);
            }
            else
            {
                bytes = Encoding.UTF8.GetBytes(text);
            }

            BodyText = Encoding.UTF8.GetString(bytes);
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
            if (kind == Kind.Charset)
            {
                Changed = true;
                content.Headers.Remove("Content-Type");
                content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=" + Charsets[random.Next(Charsets.Length)]);
            }

            return content;
        }

        private MultipartFormDataContent MultipartBody(JsonObject? schema)
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, property) in schema?["properties"]?.AsObject() ?? [])
            {
                var resolved = Resolve(property?.AsObject());
                if ((string?)resolved?["format"] == "binary")
                {
                    var file = kind switch
                    {
                        Kind.NulInString => Mark(marker + ",\0,1\n"),
                        Kind.InvalidUtf8 => Mark(marker + ",\uFFFD,1\n"),
                        Kind.LongString => Mark(string.Concat(Enumerable.Repeat(marker + ",Tampere,999999999999\n", 2000))),
                        _ => $"municipality,age_band,count\n{marker},25-34,1\n",
                    };
                    form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(file)), name, "upload.csv");
                }
                else
                {
                    form.Add(new StringContent(kind == Kind.NulInString ? Mark(marker + "\0") : marker), name);
                }
            }

            BodyText = "(multipart)";
            return form;
        }

        private JsonNode? Sample(JsonObject? schema, int depth)
        {
            schema = Resolve(schema);
            if (schema is null || depth > 6)
            {
                return null;
            }

            foreach (var choice in new[] { "anyOf", "oneOf", "allOf" })
            {
                if (schema[choice] is JsonArray options && options.Count > 0)
                {
                    var options2 = options.Select(o => Resolve(o?.AsObject())).Where(o => o is not null && (string?)o["type"] != "null").ToList();
                    return options2.Count == 0 ? null : Sample(options2[random.Next(options2.Count)], depth + 1);
                }
            }

            var type = TypeOf(schema);
            if (kind == Kind.WrongType && random.Next(4) == 0)
            {
                Changed = true;
                return type == "string" ? JsonValue.Create(random.Next()) : JsonValue.Create(marker);
            }

            switch (type)
            {
                case "object":
                    var result = new JsonObject();
                    foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
                    {
                        result[name] = Sample(property?.AsObject(), depth + 1);
                    }

                    if (schema["additionalProperties"] is JsonObject additional)
                    {
                        result[marker] = Sample(additional, depth + 1);
                    }

                    return result;
                case "array":
                    var items = new JsonArray();
                    for (var i = 0; i < 1 + random.Next(2); i++)
                    {
                        items.Add(Sample(schema["items"]?.AsObject(), depth + 1));
                    }

                    return items;
                case "integer" or "number":
                    return kind == Kind.ExtremeNumber
                        ? (JsonNode?)JsonNode.Parse(Mark(new[] { "2147483648", "-2147483649", "9223372036854775808", "1e308", "-0", "0.5", "-1" }[random.Next(7)]))
                        : JsonValue.Create(1);
                case "boolean":
                    return JsonValue.Create(true);
                case "string":
                    return StringSample(schema);
                default:
                    return null;
            }
        }

        private JsonNode StringSample(JsonObject schema)
        {
            if (schema["enum"] is JsonArray values && values.Count > 0)
            {
                return values[random.Next(values.Count)]!.DeepClone();
            }

            var format = (string?)schema["format"];
            if (format is "date-time" or "date")
            {
                if (kind == Kind.ExtremeDate)
                {
                    Changed = true;
                    return new[] { "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-infinity", "2026-02-30T00:00:00Z", "1970-01-01" }[random.Next(5)];
                }

                return format == "date" ? DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            }

            if (format == "uuid")
            {
                return Guid.NewGuid().ToString();
            }

            var index = _strings++;
            if (index == _target)
            {
                switch (kind)
                {
                    case Kind.NulInString or Kind.HighSurrogateInString or Kind.LowSurrogateInString or Kind.InvalidUtf8:
                        return marker + Hole;
                    case Kind.LongString:
                        Changed = true;
                        return marker + new string('x', 20_000 + random.Next(100_000));
                    case Kind.UnusualText:
                        Changed = true;
                        return marker + Unusual[random.Next(Unusual.Length)];
                }
            }

            return format == "email" ? $"{marker}@example.fi" : marker;
        }

        private string QueryValue(JsonObject? schema) => Scalar(schema)?.ToString() ?? marker;

        private object? Scalar(JsonObject? schema) => TypeOf(schema) switch
        {
            "integer" or "number" => kind == Kind.ExtremeNumber ? Mark("99999999999999999999") : "1",
            "boolean" => "true",
            _ when (string?)schema?["format"] == "uuid" => Guid.NewGuid(),
            _ when (string?)schema?["format"] is "date" or "date-time" => kind == Kind.ExtremeDate ? Mark("0001-01-01") : DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ when schema?["enum"] is JsonArray values && values.Count > 0 => values[random.Next(values.Count)]!.ToString(),
            _ => kind == Kind.UnusualText ? Mark(marker + Unusual[random.Next(Unusual.Length)]) : marker,
        };

        private static string? TypeOf(JsonObject? schema) => schema?["type"] switch
        {
            JsonValue value => (string?)value,
            JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
            _ => schema?["properties"] is not null ? "object" : null,
        };

        private JsonObject? Resolve(JsonObject? schema)
        {
            for (var i = 0; i < 10 && schema?["$ref"] is JsonValue reference; i++)
            {
                var parts = ((string)reference!).TrimStart('#', '/').Split('/');
                JsonNode? node = document;
                foreach (var part in parts)
                {
                    node = node?[part];
                }

                schema = node?.AsObject();
            }

            return schema;
        }
    }
}

/// <summary>What a hostile run must have reached for its verdict to mean something.</summary>
public static class HostileRequestsCoverage
{
    public static void Assert(IReadOnlyList<HostileRequests.Outcome> outcomes)
    {
        // Each boundary kind found a place somewhere and was refused wherever it did, and some requests went past the
        // boundary to the endpoints (a run refusing everything would prove nothing about them).
        foreach (var kind in new[] { HostileRequests.Kind.NulInQuery, HostileRequests.Kind.Charset, HostileRequests.Kind.NulInString })
        {
            var placed = outcomes.Where(o => o.Kind == kind && o.Changed).ToList();
            Xunit.Assert.True(placed.Count > 0, $"No request of kind {kind} was made.");
            Xunit.Assert.True(placed.All(o => o.Status >= 400), $"A request of kind {kind} was accepted: {placed.FirstOrDefault(o => o.Status < 400)?.Request}");
        }

        var statuses = string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        Xunit.Assert.True(outcomes.Any(o => o.Status < 300), $"No request reached an endpoint and succeeded ({statuses}).");
    }
}
