using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>The coordinator uploads the county's population by municipality, age band and gender as CSV.</summary>
public sealed class PopulationReferenceTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    private const string Path = "/api/membership/population-reference";
    private const string EventType = "Panel.Contracts.PopulationReferencePublished";

    private const string ValidCsv = """
        municipality,age_band,gender,count
        Tampere,25-34,woman,21000
        Tampere,25-34,man,20500
        Akaa,85+,woman,310
        Mänttä-Vilppula,15-24,man,0
        """;

    private HttpClient Coordinator() => host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator));

    private static StringContent Csv(string csv, string mediaType = "text/csv") => new(csv, Encoding.UTF8, mediaType);

    private static MultipartFormDataContent Form(byte[] file, string field = "file")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(part, field, "vaesto.csv");
        return form;
    }

    private async Task<(long References, long Rows, long Events)> StoredAsync() => (
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM population_references"),
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM population_reference_rows"),
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type = @p0", EventType));

    private async Task<JsonElement> OutboxEventAsync(int version)
    {
        var body = await host.Database.ScalarAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type = @p0 AND (body->>'version')::int = @p1", EventType, version);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task A_csv_body_is_stored_as_the_next_version_with_its_rows_and_announced_in_the_same_transaction()
    {
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Csv(ValidCsv));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Path, response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var version = created.GetProperty("version").GetInt32();
        Assert.Equal(before.References + 1, version);
        Assert.Equal(4, created.GetProperty("groups").GetInt32());
        Assert.Equal(41810, created.GetProperty("total").GetInt64());
        var publishedAt = created.GetProperty("publishedAt").GetDateTimeOffset();
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - publishedAt).TotalMinutes) < 5);

        Assert.Equal((before.References + 1, before.Rows + 4, before.Events + 1), await StoredAsync());
        var published = await OutboxEventAsync(version);
        Assert.Equal(publishedAt, published.GetProperty("publishedAt").GetDateTimeOffset());
        var groups = published.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(4, groups.Count);
        Assert.Contains(groups, g => g.GetProperty("municipality").GetString() == "Mänttä-Vilppula"
            && g.GetProperty("ageBand").GetString() == "15-24" && g.GetProperty("gender").GetString() == "man" && g.GetProperty("count").GetInt32() == 0);
        Assert.Contains(groups, g => g.GetProperty("municipality").GetString() == "Tampere"
            && g.GetProperty("gender").GetString() == "woman" && g.GetProperty("count").GetInt32() == 21000);

        var current = await Coordinator().GetFromJsonAsync<JsonElement>(Path);
        Assert.Equal(version, current.GetProperty("version").GetInt32());
        Assert.Equal(publishedAt, current.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.StartsWith("staff-", current.GetProperty("publishedBy").GetString());
        Assert.Equal(41810, current.GetProperty("total").GetInt64());
        var rows = current.GetProperty("rows").EnumerateArray()
            .Select(r => $"{r.GetProperty("municipality").GetString()}/{r.GetProperty("ageBand").GetString()}/{r.GetProperty("gender").GetString()}/{r.GetProperty("count").GetInt32()}")
            .ToList();
        Assert.Equal(["Akaa/85+/woman/310", "Mänttä-Vilppula/15-24/man/0", "Tampere/25-34/woman/21000", "Tampere/25-34/man/20500"], rows);
    }

    [Fact]
    public async Task A_multipart_upload_as_finnish_excel_writes_it_is_accepted_with_names_stored_as_configured()
    {
        // Excel in a Finnish locale: semicolons, a byte order mark, CR LF, and an empty row written as separators.
        var csv = "\uFEFFMunicipality;Age_Band;Gender;Count\r\ntampere;65-74;Woman;18000\r\n ORIVESI ; 45-54 ; man ; 700 \r\n;;;\r\n\r\n";
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Form(Encoding.UTF8.GetBytes(csv)));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, created.GetProperty("groups").GetInt32());
        Assert.Equal(18700, created.GetProperty("total").GetInt64());
        Assert.Equal((before.References + 1, before.Rows + 2, before.Events + 1), await StoredAsync());
        var version = created.GetProperty("version").GetInt32();
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM population_reference_rows WHERE version = @p0 AND municipality = 'Tampere' AND gender = 'woman' AND count = 18000", version));
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM population_reference_rows WHERE version = @p0 AND municipality = 'Orivesi' AND age_band = '45-54' AND gender = 'man'", version));
    }

    [Fact]
    public async Task Each_upload_is_a_new_version_and_the_newest_is_the_current_one()
    {
        var first = await (await Coordinator().PostAsync(Path, Csv("municipality,age_band,gender,count\nAkaa,15-24,woman,100\n"))).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await Coordinator().PostAsync(Path, Csv("municipality,age_band,gender,count\nAkaa,15-24,woman,200\nAkaa,15-24,man,150\n"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(first.GetProperty("version").GetInt32() + 1, second.GetProperty("version").GetInt32());
        var current = await Coordinator().GetFromJsonAsync<JsonElement>(Path);
        Assert.Equal(second.GetProperty("version").GetInt32(), current.GetProperty("version").GetInt32());
        Assert.Equal(350, current.GetProperty("total").GetInt64());
        Assert.Equal(2, current.GetProperty("rows").GetArrayLength());
        // The older version stays as it was published.
        Assert.Equal(100, await host.Database.ScalarAsync<long>(
            "SELECT total FROM population_references WHERE version = @p0", first.GetProperty("version").GetInt32()));
    }

    private const string Header = "municipality,age_band,gender,count\n";

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "empty file", "", "file" },
        { "only a byte order mark and blank lines", "\uFEFF\r\n\r\n", "file" },
        { "header without groups", Header, "file" },
        { "missing header", "Tampere,25-34,woman,100\n", "file" },
        { "wrong column", "municipality,age,gender,count\nTampere,25-34,woman,100\n", "file" },
        { "extra column", "municipality,age_band,gender,count,year\nTampere,25-34,woman,100,2025\n", "file" },
        { "not CSV at all", "{\"municipality\":\"Tampere\"}", "file" },
        { "binary bytes", Header + "Tampere\0\0\u0001,25-34,woman,100\n", "file" },
        { "every count zero", Header + "Tampere,25-34,woman,0\nAkaa,25-34,man,0\n", "file" },
        { "unknown municipality", Header + "Tampere,25-34,woman,100\nHelsinki,25-34,woman,100\n", "line 3.municipality" },
        { "missing municipality", Header + ",25-34,woman,100\n", "line 2.municipality" },
        { "bad age band", Header + "Tampere,25-35,woman,100\n", "line 2.age_band" },
        { "age band in another form", Header + "Tampere,25–34,woman,100\n", "line 2.age_band" },
        { "gender other", Header + "Tampere,25-34,other,100\n", "line 2.gender" },
        { "gender missing", Header + "Tampere,25-34,,100\n", "line 2.gender" },
        { "negative count", Header + "Tampere,25-34,woman,-5\n", "line 2.count" },
        { "count not a number", Header + "Tampere,25-34,woman,many\n", "line 2.count" },
        { "count with a decimal", Header + "Tampere,25-34,woman,12.5\n", "line 2.count" },
        { "count with a thousands separator", "municipality;age_band;gender;count\nTampere;25-34;woman;1 234\n", "line 2.count" },
        { "count too large", Header + "Tampere,25-34,woman,10000001\n", "line 2.count" },
        { "count overflowing", Header + "Tampere,25-34,woman,99999999999999999999\n", "line 2.count" },
        { "count missing", Header + "Tampere,25-34,woman,\n", "line 2.count" },
        { "duplicate group", Header + "Tampere,25-34,woman,100\nAkaa,25-34,woman,5\ntampere,25-34,Woman,200\n", "line 4" },
        { "too few values", Header + "Tampere,25-34,100\n", "line 2" },
        { "too many values", Header + "Tampere,25-34,woman,100,7\n", "line 2" },
        { "broken quotes", Header + "\"Tampere,25-34,woman,100\nAkaa,25-34,man,5\n", "line 2" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_a_400_naming_the_line_and_column_and_stores_nothing(string reason, string csv, string key)
    {
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Csv(csv));

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.True(errors.TryGetProperty(key, out var messages), $"{reason}: {errors.GetRawText()}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Every_bad_line_is_reported_with_what_was_found_and_what_is_allowed()
    {
        var csv = Header + "Tampere,25-34,woman,100\nTamprere,25-34,woman,100\nAkaa,25-34,man,5\n\nAkaa,100+,other,-1\nOrivesi,45-54,man,lots\n";
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Csv(csv));

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.Equal(["line 3.municipality", "line 6.age_band", "line 6.gender", "line 6.count", "line 7.count"],
            errors.EnumerateObject().Select(e => e.Name));
        string Message(string key) => errors.GetProperty(key)[0].GetString()!;
        Assert.Contains("\"Tamprere\"", Message("line 3.municipality"));
        Assert.Contains("Mänttä-Vilppula", Message("line 3.municipality"));
        Assert.Contains("\"100+\"", Message("line 6.age_band"));
        Assert.Contains("85+", Message("line 6.age_band"));
        Assert.Contains("\"other\"", Message("line 6.gender"));
        Assert.Contains("woman and man", Message("line 6.gender"));
        Assert.Contains("\"-1\" is negative", Message("line 6.count"));
        Assert.Contains("\"lots\"", Message("line 7.count"));
        Assert.Contains("10000000", Message("line 7.count"));
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_file_with_more_than_5000_groups_is_refused_as_a_whole()
    {
        var csv = new StringBuilder(Header);
        for (var i = 0; i < 5001; i++)
        {
            csv.Append("Tampere,25-34,woman,").Append(i).Append('\n');
        }

        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Csv(csv.ToString()));

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.Contains("5000", errors.GetProperty("file")[0].GetString());
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Many_bad_lines_are_listed_up_to_a_hundred_and_counted()
    {
        var csv = new StringBuilder(Header);
        for (var i = 0; i < 150; i++)
        {
            csv.Append("Nowhere,25-34,woman,1\n");
        }

        var response = await Coordinator().PostAsync(Path, Csv(csv.ToString()));

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.Equal(101, errors.EnumerateObject().Count());
        Assert.Contains("150 lines", errors.GetProperty("file")[0].GetString());
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_with_advice()
    {
        var latin1 = Encoding.Latin1.GetBytes(Header + "Mänttä-Vilppula,25-34,woman,100\n");
        var before = await StoredAsync();

        var content = new ByteArrayContent(latin1);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await Coordinator().PostAsync(Path, content);

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.Contains("UTF-8", errors.GetProperty("file")[0].GetString());
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Binary_content_is_not_csv()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D };
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Form(png));

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.Contains("not", errors.GetProperty("file")[0].GetString());
        Assert.DoesNotContain("field", errors.GetProperty("file")[0].GetString());
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_form_without_the_file_field_is_a_400_naming_file()
    {
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, Form(Encoding.UTF8.GetBytes(ValidCsv), field: "upload"));

        Assert.Contains("\"file\"", (await Residents.ProblemErrorsAsync(response)).GetProperty("file")[0].GetString());
        Assert.Equal(before, await StoredAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/csv; charset=windows-1252")]
    public async Task Another_content_type_is_a_415_problem_and_stores_nothing(string contentType)
    {
        var before = await StoredAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidCsv));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await Coordinator().PostAsync(Path, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_a_415_problem()
    {
        var before = await StoredAsync();

        var response = await Coordinator().PostAsync(Path, new ByteArrayContent(Encoding.UTF8.GetBytes(ValidCsv)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_10_MB_body_is_refused_with_a_413_problem_and_stores_nothing()
    {
        var before = await StoredAsync();
        var huge = new StringBuilder(Header);
        while (huge.Length < 10 * 1024 * 1024)
        {
            huge.Append("Tampere,25-34,woman,100\n");
        }

        var declared = await Coordinator().PostAsync(Path, Csv(huge.ToString()));
        var form = await Coordinator().PostAsync(Path, Form(Encoding.UTF8.GetBytes(huge.ToString())));
        // Sent in chunks without a declared length: the service stops reading at its limit.
        var chunked = await Coordinator().PostAsync(Path, new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(huge.ToString())))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("text/csv") },
        });

        foreach (var response in new[] { declared, form, chunked })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Null(chunked.RequestMessage?.Content?.Headers.ContentLength);
        Assert.Equal(before, await StoredAsync());
    }

    public static TheoryData<string?> Refused() => new() { null, "forged", "public", "resident", PanelRoles.ItAdmin, "others" };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Only_coordinators_publish_or_read_the_population_reference(string? caller)
    {
        var client = caller switch
        {
            null => host.Client(),
            "forged" => host.Client(TestTokens.Forged(ServiceNames.Membership)),
            "public" => host.Public(),
            "resident" => host.As(Guid.NewGuid()),
            "others" => host.Client(TestTokens.Staff(ServiceNames.Membership,
                PanelRoles.ReportReader, PanelRoles.SurveyAuthor, PanelRoles.Communications, PanelRoles.DomainContact)),
            _ => host.Client(TestTokens.Staff(ServiceNames.Membership, caller)),
        };
        var expected = caller is null or "forged" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        var before = await StoredAsync();

        var post = await client.PostAsync(Path, Csv(ValidCsv));
        var get = await client.GetAsync(Path);

        Assert.Equal(expected, post.StatusCode);
        Assert.Equal(expected, get.StatusCode);
        Assert.Equal(before, await StoredAsync());
        Assert.Equal(HttpStatusCode.Created, (await Coordinator().PostAsync(Path, Csv(ValidCsv))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Coordinator().GetAsync(Path)).StatusCode);
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>Before any upload there is no population reference.</summary>
public sealed class NoPopulationReferenceTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Fact]
    public async Task The_current_reference_is_a_404_problem_until_one_is_published()
    {
        var response = await host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator)).GetAsync("/api/membership/population-reference");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
