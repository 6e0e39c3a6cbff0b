using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Panel.Load.Generation;

/// <summary>
/// Writes generated members into Membership's database with binary COPY: the member rows and their
/// events in outbox_messages, in one transaction per chunk, exactly as the endpoints would have stored
/// them (the outbox serializes with the web defaults of System.Text.Json). The outbox relay then
/// publishes the events and Reporting counts them, as for real joins.
/// </summary>
public sealed class MembershipWriter(NpgsqlDataSource membership)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The consent version a join would store now: the newest published one, else the configured default.</summary>
    public async Task<string> ConsentVersionAsync(string configured)
    {
        await using var cmd = membership.CreateCommand("SELECT max(version) FROM consent_versions");
        var newest = await cmd.ExecuteScalarAsync();
        return newest is int v ? v.ToString(CultureInfo.InvariantCulture) : configured;
    }

    /// <summary>How many members with emails <c>prefix.N@example.invalid</c> exist, and their highest N.</summary>
    public async Task<(long Count, int MaxIndex)> ExistingAsync(string prefix)
    {
        await using var cmd = membership.CreateCommand(
            """
            SELECT count(*), coalesce(max(substring(email FROM '^[^.]+\.([0-9]+)@')::int), 0)
            FROM members WHERE email LIKE $1
            """);
        cmd.Parameters.AddWithValue(prefix + ".%@" + PanelGenerator.EmailDomain);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    /// <summary>Creates the campaigns the generated members came from, unless codes exist already.</summary>
    public async Task<int> AddCampaignsAsync(IEnumerable<GeneratedCampaign> campaigns, DateTimeOffset now)
    {
        var added = 0;
        foreach (var c in campaigns)
        {
            await using var cmd = membership.CreateCommand(
                """
                INSERT INTO campaigns (id, code, name, channel, starts_on, ends_on, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING
                """);
            cmd.Parameters.AddWithValue(Guid.CreateVersion7());
            cmd.Parameters.AddWithValue(c.Code);
            cmd.Parameters.AddWithValue(c.Name);
            cmd.Parameters.AddWithValue(c.Channel);
            cmd.Parameters.AddWithValue(c.StartsOn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)c.EndsOn ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
            var created = new DateTimeOffset(c.StartsOn.AddDays(-14).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            cmd.Parameters.AddWithValue(created < now ? created : now);
            added += await cmd.ExecuteNonQueryAsync();
        }

        return added;
    }

    public sealed record WriteResult(int Members, int Events, TimeSpan Elapsed);

    /// <summary>
    /// Generates members <paramref name="first"/>..<paramref name="first"/>+<paramref name="count"/>-1 and
    /// writes them with their outbox events. With <paramref name="eventsSentAt"/> the outbox rows are stored
    /// as already relayed (the benchmark-only path that fills Reporting's read model directly).
    /// </summary>
    public async Task<WriteResult> WriteAsync(
        PanelGenerator generator, int first, int count, DateTimeOffset? eventsSentAt, Action<GeneratedMember>? observe = null, int chunk = 20_000)
    {
        var stopwatch = Stopwatch.StartNew();
        var events = 0;
        var batch = new List<GeneratedMember>(chunk);
        for (var done = 0; done < count; done += batch.Count)
        {
            batch.Clear();
            var n = Math.Min(chunk, count - done);
            for (var i = 0; i < n; i++)
            {
                var member = generator.Generate(first + done + i);
                observe?.Invoke(member);
                batch.Add(member);
            }

            await using var connection = await membership.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await CopyMembersAsync(connection, batch);
            events += await CopyEventsAsync(connection, batch, eventsSentAt);
            await tx.CommitAsync();
            if (count > chunk)
            {
                Console.WriteLine(FormattableString.Invariant($"  {done + n:N0}/{count:N0} members written ({stopwatch.Elapsed.TotalSeconds:0.0} s)"));
            }
        }

        return new WriteResult(count, events, stopwatch.Elapsed);
    }

    private static async Task CopyMembersAsync(NpgsqlConnection connection, List<GeneratedMember> members)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY members (id, email, phone, birth_year, municipality, gender, language, is_client, contact_channel, status,
                          joined_at, verified_at, paused_until, paused_at, withdrawn_at, profile_changed_at, last_signed_in_at,
                          consent_version, consent_accepted_at, campaign_code, reported_age_band)
            FROM STDIN (FORMAT BINARY)
            """);
        foreach (var m in members)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(m.Id, NpgsqlDbType.Uuid);
            await copy.WriteAsync(m.Email, NpgsqlDbType.Varchar);
            await copy.WriteNullAsync();
            await copy.WriteAsync(m.BirthYear, NpgsqlDbType.Integer);
            await copy.WriteAsync(m.Municipality, NpgsqlDbType.Varchar);
            await WriteNullableAsync(copy, m.Gender, NpgsqlDbType.Varchar);
            await copy.WriteAsync(m.Language, NpgsqlDbType.Varchar);
            await WriteNullableAsync(copy, m.IsClient, NpgsqlDbType.Boolean);
            await copy.WriteAsync("email", NpgsqlDbType.Varchar);
            await copy.WriteAsync(m.Status.ToString(), NpgsqlDbType.Varchar);
            await copy.WriteAsync(m.JoinedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, m.VerifiedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, m.PausedUntil, NpgsqlDbType.Date);
            await WriteNullableAsync(copy, m.PausedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, m.WithdrawnAt, NpgsqlDbType.TimestampTz);
            await copy.WriteNullAsync();
            await WriteNullableAsync(copy, m.LastSignedInAt, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(m.ConsentVersion, NpgsqlDbType.Varchar);
            await copy.WriteAsync(m.JoinedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, m.CampaignCode, NpgsqlDbType.Varchar);
            await copy.WriteAsync(m.ReportedAgeBand, NpgsqlDbType.Varchar);
        }

        await copy.CompleteAsync();
    }

    private static async Task<int> CopyEventsAsync(NpgsqlConnection connection, List<GeneratedMember> members, DateTimeOffset? sentAt)
    {
        var n = 0;
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY outbox_messages (id, message_type, body, created_at, sent_at, attempts, next_attempt_at, trace_parent) FROM STDIN (FORMAT BINARY)");
        foreach (var e in members.SelectMany(m => m.Events))
        {
            var type = e.Payload.GetType();
            await copy.StartRowAsync();
            await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid);
            await copy.WriteAsync(type.FullName!, NpgsqlDbType.Varchar);
            await copy.WriteAsync(JsonSerializer.Serialize(e.Payload, type, Json), NpgsqlDbType.Jsonb);
            await copy.WriteAsync(e.At, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, sentAt, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(0, NpgsqlDbType.Integer);
            await copy.WriteNullAsync();
            await copy.WriteNullAsync();
            n++;
        }

        await copy.CompleteAsync();
        return n;
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : class =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, type);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();
}
