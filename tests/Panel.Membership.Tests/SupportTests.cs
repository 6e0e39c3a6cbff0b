using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Member support by staff: exact-email lookup, resend, erase; every access audited in the same transaction.</summary>
public sealed class SupportTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    private const string Reason = "Resident phoned the help desk, ticket 4711";

    private static string CoordinatorToken() => TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator);

    private HttpClient Staff(string token) => host.Client(token);

    private static string SubjectOf(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.GetProperty("sub").GetString()!;
    }

    private sealed record AuditRow(string StaffSubject, string StaffRoles, string Action, string Outcome, string Reason, Guid? MemberId);

    private async Task<List<AuditRow>> AuditRowsOf(string subject)
    {
        await using var connection = new Npgsql.NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT staff_subject, staff_roles, action, outcome, reason, member_id FROM audit_log WHERE staff_subject = @p0 ORDER BY id", connection);
        command.Parameters.AddWithValue("p0", subject);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5)));
        }

        return rows;
    }

    private Task<long> AuditCount() => host.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");

    [Fact]
    public async Task Lookup_by_exact_email_returns_the_member_and_writes_an_audit_row_without_the_email()
    {
        var resident = await host.SignedInAsync();
        var token = TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator, PanelRoles.ReportReader);

        var response = await Staff(token).PostAsJsonAsync("/api/membership/support/lookup", new { email = "  " + resident.Email.ToUpperInvariant(), reason = Reason });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(resident.Id, body.GetProperty("panelistId").GetGuid());
        Assert.Equal("Active", body.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("joinedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("verifiedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("pausedUntil").ValueKind);
        Assert.False(body.TryGetProperty("email", out _));
        var row = Assert.Single(await AuditRowsOf(SubjectOf(token)));
        Assert.Equal("member.lookup", row.Action);
        Assert.Equal("found", row.Outcome);
        Assert.Equal(Reason, row.Reason);
        Assert.Equal(resident.Id, row.MemberId);
        Assert.Equal("Coordinator,ReportReader", row.StaffRoles);
        var audit = await host.Database.ScalarAsync<string>("SELECT string_agg(audit_log::text, '\n') FROM audit_log");
        Assert.DoesNotContain(resident.Email, audit, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Lookup_of_an_unknown_or_partial_email_is_a_404_and_is_audited_too()
    {
        var resident = await host.SignedInAsync();
        var token = TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin);

        var unknown = await Staff(token).PostAsJsonAsync("/api/membership/support/lookup", new { email = Residents.NewEmail(), reason = Reason });
        var partial = await Staff(token).PostAsJsonAsync("/api/membership/support/lookup", new { email = resident.Email[..10], reason = Reason });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, partial.StatusCode);
        var rows = await AuditRowsOf(SubjectOf(token));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("member.lookup", r.Action);
            Assert.Equal("not-found", r.Outcome);
            Assert.Null(r.MemberId);
            Assert.Equal("ItAdmin", r.StaffRoles);
        });
    }

    public static TheoryData<string, string> BadLookups() => new()
    {
        { "email", "{\"reason\":\"" + Reason + "\"}" },
        { "email", "{\"email\":\"   \",\"reason\":\"" + Reason + "\"}" },
        { "email", "{\"email\":\"" + new string('a', 250) + "@x.fi\",\"reason\":\"" + Reason + "\"}" },
        { "reason", "{\"email\":\"someone@example.fi\"}" },
        { "reason", "{\"email\":\"someone@example.fi\",\"reason\":\"   abc  \"}" },
        { "reason", "{\"email\":\"someone@example.fi\",\"reason\":\"" + new string('r', 501) + "\"}" },
    };

    [Theory]
    [MemberData(nameof(BadLookups))]
    public async Task A_bad_lookup_is_a_400_naming_the_field_and_audits_nothing(string field, string json)
    {
        var before = await AuditCount();

        var response = await Staff(CoordinatorToken()).PostAsync("/api/membership/support/lookup", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty(field, out _));
        Assert.Equal(before, await AuditCount());
    }

    [Fact]
    public async Task Resending_verification_queues_a_new_verification_email_for_a_pending_member_and_is_audited()
    {
        var email = Residents.NewEmail();
        await host.JoinAsync(email);
        var id = await host.IdOfAsync(email);
        // The join's verification email is older than the resend interval.
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '10 minutes' WHERE member_id = @p0", id);
        var token = CoordinatorToken();

        var response = await Staff(token).PostAsJsonAsync($"/api/membership/support/{id}/resend-verification", new { reason = Reason });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var messages = await host.Smtp.WaitForMessagesToAsync(email, 2, Residents.MailTimeout);
        Assert.Equal(HttpStatusCode.OK, (await host.VerifyAsync(SmtpSink.TokenIn(messages[1]))).StatusCode);
        var row = Assert.Single(await AuditRowsOf(SubjectOf(token)));
        Assert.Equal("member.resend-verification", row.Action);
        Assert.Equal("queued", row.Outcome);
        Assert.Equal(Reason, row.Reason);
        Assert.Equal(id, row.MemberId);
    }

    [Fact]
    public async Task Resending_verification_is_a_409_unless_pending_a_404_for_an_unknown_id_and_a_429_within_the_limits_each_audited()
    {
        var resident = await host.SignedInAsync();
        var pendingEmail = Residents.NewEmail();
        await host.JoinAsync(pendingEmail);
        var pending = await host.IdOfAsync(pendingEmail);
        var token = CoordinatorToken();
        var emailsBefore = await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0", resident.Id);

        var active = await Staff(token).PostAsJsonAsync($"/api/membership/support/{resident.Id}/resend-verification", new { reason = Reason });
        var unknown = await Staff(token).PostAsJsonAsync($"/api/membership/support/{Guid.NewGuid()}/resend-verification", new { reason = Reason });
        var tooSoon = await Staff(token).PostAsJsonAsync($"/api/membership/support/{pending}/resend-verification", new { reason = Reason });
        var badReason = await Staff(token).PostAsJsonAsync($"/api/membership/support/{pending}/resend-verification", new { reason = "no" });

        Assert.Equal(HttpStatusCode.Conflict, active.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.True((await Residents.ProblemErrorsAsync(badReason)).TryGetProperty("reason", out _));
        Assert.Equal(emailsBefore, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0", resident.Id));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0", pending));
        var rows = await AuditRowsOf(SubjectOf(token));
        Assert.Equal(["wrong-state", "not-found", "rate-limited"], rows.Select(r => r.Outcome));
        Assert.Equal([resident.Id, null, pending], rows.Select(r => r.MemberId));
        Assert.All(rows, r => Assert.Equal("member.resend-verification", r.Action));
    }

    [Fact]
    public async Task Erasing_on_request_erases_the_member_like_their_own_erasure_and_unlinks_their_audit_rows()
    {
        var resident = await host.SignedInAsync();
        var coordinator = CoordinatorToken();
        var admin = TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin);
        (await Staff(coordinator).PostAsJsonAsync("/api/membership/support/lookup", new { email = resident.Email, reason = Reason })).EnsureSuccessStatusCode();
        Assert.Equal(resident.Id, Assert.Single(await AuditRowsOf(SubjectOf(coordinator))).MemberId);

        var erase = await Staff(admin).PostAsJsonAsync($"/api/membership/support/{resident.Id}/erase", new { reason = "Written erasure request 2026-11", confirm = true });

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal("erased", (await erase.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @p0", resident.Id));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE member_id = @p0", resident.Id));
        var lookup = Assert.Single(await AuditRowsOf(SubjectOf(coordinator)));
        Assert.Equal(("member.lookup", "found", (Guid?)null), (lookup.Action, lookup.Outcome, lookup.MemberId));
        var erasure = Assert.Single(await AuditRowsOf(SubjectOf(admin)));
        Assert.Equal(("member.erase", "erased", "Written erasure request 2026-11", (Guid?)null), (erasure.Action, erasure.Outcome, erasure.Reason, erasure.MemberId));
        // Once MemberDataErased is relayed, nothing in the database names the member (the maintenance loop deletes it).
        var dump = await Eventually.UntilAsync(() => host.Database.DumpTextAsync(),
            d => !d.Contains(resident.Id.ToString(), StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30), "nothing to name the member");
        Assert.DoesNotContain(resident.Email, dump, StringComparison.OrdinalIgnoreCase);
        var again = await Staff(admin).PostAsJsonAsync($"/api/membership/support/{resident.Id}/erase", new { reason = Reason, confirm = true });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_residents_own_erasure_unlinks_the_audit_rows_about_them_too()
    {
        var resident = await host.SignedInAsync();
        var token = CoordinatorToken();
        (await Staff(token).PostAsJsonAsync("/api/membership/support/lookup", new { email = resident.Email, reason = Reason })).EnsureSuccessStatusCode();

        (await host.As(resident.Id).PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        var row = Assert.Single(await AuditRowsOf(SubjectOf(token)));
        Assert.Null(row.MemberId);
        Assert.Equal(Reason, row.Reason);
    }

    [Theory]
    [InlineData("{\"reason\":\"" + Reason + "\"}", "confirm")]
    [InlineData("{\"reason\":\"" + Reason + "\",\"confirm\":false}", "confirm")]
    [InlineData("{\"confirm\":true}", "reason")]
    public async Task Erasing_without_confirmation_or_reason_is_a_400_and_erases_nothing(string json, string field)
    {
        var resident = await host.SignedInAsync();
        var before = await AuditCount();

        var response = await Staff(CoordinatorToken()).PostAsync($"/api/membership/support/{resident.Id}/erase", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty(field, out _));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @p0", resident.Id));
        Assert.Equal(before, await AuditCount());
    }

    public static TheoryData<string, string> SupportEndpoints() => new()
    {
        { "/api/membership/support/lookup", "{\"email\":\"EMAIL\",\"reason\":\"" + Reason + "\"}" },
        { "/api/membership/support/ID/resend-verification", "{\"reason\":\"" + Reason + "\"}" },
        { "/api/membership/support/ID/erase", "{\"reason\":\"" + Reason + "\",\"confirm\":true}" },
    };

    [Theory]
    [MemberData(nameof(SupportEndpoints))]
    public async Task Support_endpoints_are_for_coordinators_and_it_admins_only_and_refusals_touch_nothing(string path, string json)
    {
        var email = Residents.NewEmail();
        await host.JoinAsync(email);
        var id = await host.IdOfAsync(email);
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '10 minutes' WHERE member_id = @p0", id);
        path = path.Replace("ID", id.ToString());
        json = json.Replace("EMAIL", email);
        StringContent Body() => new(json, Encoding.UTF8, "application/json");
        var before = await AuditCount();

        var none = await host.Client().PostAsync(path, Body());
        var anonymous = await host.Public().PostAsync(path, Body());
        var resident = await host.As(id).PostAsync(path, Body());
        var others = await Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ReportReader, PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Communications)).PostAsync(path, Body());
        var noRole = await Staff(TestTokens.Staff(ServiceNames.Membership)).PostAsync(path, Body());

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, resident.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
        Assert.Equal(before, await AuditCount());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @p0", id));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0", id));

        var allowed = await Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin)).PostAsync(path, Body());
        Assert.True(allowed.IsSuccessStatusCode, $"{path}: {allowed.StatusCode}");
        Assert.Equal(before + 1, await AuditCount());
    }

    [Fact]
    public async Task The_audit_log_lists_accesses_newest_first_between_dates_for_it_admins()
    {
        var resident = await host.SignedInAsync();
        var token = CoordinatorToken();
        var subject = SubjectOf(token);
        (await Staff(token).PostAsJsonAsync("/api/membership/support/lookup", new { email = resident.Email, reason = "First access reason" })).EnsureSuccessStatusCode();
        (await Staff(token).PostAsJsonAsync("/api/membership/support/lookup", new { email = Residents.NewEmail(), reason = "Second access reason" })).StatusCode.ToString();
        var admin = Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin));
        var from = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        var to = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O");

        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/membership/audit?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        var past = await admin.GetFromJsonAsync<JsonElement>("/api/membership/audit?from=2000-01-01&to=2000-12-31");

        var mine = log.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("staffSubject").GetString() == subject).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal("Second access reason", mine[0].GetProperty("reason").GetString());
        Assert.Equal("not-found", mine[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, mine[0].GetProperty("memberId").ValueKind);
        Assert.Equal("First access reason", mine[1].GetProperty("reason").GetString());
        Assert.Equal("member.lookup", mine[1].GetProperty("action").GetString());
        Assert.Equal(resident.Id, mine[1].GetProperty("memberId").GetGuid());
        Assert.Equal(["Coordinator"], mine[1].GetProperty("staffRoles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(mine[0].GetProperty("at").GetDateTimeOffset() >= mine[1].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(0, past.GetProperty("entries").GetArrayLength());
        Assert.DoesNotContain(resident.Email, log.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_audit_log_returns_at_most_1000_rows()
    {
        var marker = "bulk-" + Guid.NewGuid().ToString("N");
        await host.ExecuteAsync(
            "INSERT INTO audit_log (at, staff_subject, staff_roles, action, outcome, reason, member_id) " +
            "SELECT timestamptz '2001-06-01' + g * interval '1 second', @p0, 'ItAdmin', 'member.lookup', 'not-found', 'bulk', NULL FROM generate_series(1, 1005) g", marker);

        var log = await Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin)).GetFromJsonAsync<JsonElement>("/api/membership/audit?from=2001-06-01&to=2001-06-02");

        var entries = log.GetProperty("entries");
        Assert.Equal(1000, entries.GetArrayLength());
        Assert.True(log.GetProperty("truncated").GetBoolean());
        Assert.Equal(new DateTimeOffset(2001, 6, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(1005), entries[0].GetProperty("at").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=12", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    public async Task Bad_audit_dates_are_a_400_naming_the_field(string query, string field)
    {
        var response = await Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin)).GetAsync("/api/membership/audit?" + query);

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_audit_log_is_for_it_admins_only()
    {
        var resident = await host.SignedInAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/api/membership/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().GetAsync("/api/membership/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(resident.Id).GetAsync("/api/membership/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Staff(CoordinatorToken()).GetAsync("/api/membership/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ReportReader)).GetAsync("/api/membership/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Staff(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin)).GetAsync("/api/membership/audit")).StatusCode);
    }
}
