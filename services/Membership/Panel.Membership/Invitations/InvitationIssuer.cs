using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;
using Panel.Membership.Consent;
using Panel.Membership.Data;
using Panel.Membership.Email;
using Panel.Messaging;

namespace Panel.Membership.Invitations;

/// <summary>
/// Issues the invitations of an opened survey in the caller's transaction: records the survey, draws the sample
/// among invitable members who match the criteria and have not reached the contact-fatigue limit, creates one
/// invitation per member (token hash, token encrypted under the survey's data key), queues the invitation emails in the email outbox and adds
/// SurveyInvitationsIssued events in chunks. The emails are held until Surveys acknowledges their chunk (SurveyInvitationsStored), so
/// no link is sent before Surveys can answer it. Everything is written set-based (binary COPY, a few thousand rows at a time),
/// so 50,000 invitations take seconds. The same survey is never issued twice.
/// </summary>
public sealed partial class InvitationIssuer(
    InvitationTokens tokens,
    ISampleRandom random,
    IOptions<InvitationOptions> invitationOptions,
    IOptions<MembershipOptions> membershipOptions,
    TimeProvider time,
    ILogger<InvitationIssuer> logger)
{
    /// <summary>Rows per COPY (the next chunk's tokens are prepared while the database takes one).</summary>
    private const int StatementSize = 5000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><see cref="InvitationSurvey.NotIssued"/> when fewer than k members matched or the sample asked for fewer than k.</summary>
    public const string TooFewMembers = "too-few-members";

    public async Task<int> IssueAsync(MembershipDbContext db, SurveyOpened opened, CancellationToken ct)
    {
        var group = opened.TargetGroup!;
        var o = invitationOptions.Value;
        var now = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        if (await db.InvitationSurveys.AnyAsync(s => s.Id == opened.SurveyId, ct))
        {
            // Issued already, or closed before its opening reached us: nothing is issued twice.
            LogAlreadyKnown(logger, opened.SurveyId);
            return 0;
        }

        var survey = new InvitationSurvey
        {
            Id = opened.SurveyId,
            ServiceArea = opened.ServiceArea,
            Languages = [.. opened.Languages],
            Title = new Dictionary<string, string>(opened.Title),
            Purpose = new Dictionary<string, string>(opened.Purpose),
            OpenedAt = opened.OpenedAt,
            ClosesAt = opened.ClosesAt,
            ScheduledAt = opened.OpenedAt,
            ReminderAfterDays = group.Reminders?.AfterDays ?? 0,
            ReminderMax = group.Reminders?.Max ?? 0,
            SampleSize = group.SampleSize,
        };
        db.InvitationSurveys.Add(survey);
        // Now, so that a concurrent delivery of the same opening fails on the key instead of issuing twice.
        await db.SaveChangesAsync(ct);

        var candidates = await CandidatesAsync(db, TargetFilter.From(group), ct);
        var candidatesAt = clock.Elapsed;
        // The panel's k, or the survey's if it asks for more.
        var k = Math.Max(membershipOptions.Value.MinimumGroupSize, opened.MinimumGroupSize ?? 0);
        if (candidates.Count < k || group.SampleSize < k)
        {
            // A survey of fewer than k invitees would show each one's opening and answering in its progress and results:
            // nobody is invited, and the coordinator sees why on the survey's progress.
            survey.NotIssued = TooFewMembers;
            await db.SaveChangesAsync(ct);
            LogTooFew(logger, opened.SurveyId, k);
            return 0;
        }

        var quotas = (group.Quotas ?? []).Select(q => new TargetQuota(q.Attribute, q.Values, q.MinimumShare)).ToList();
        var sample = Sampler.Draw(candidates, group.SampleSize, quotas, random.Create());
        var sampledAt = clock.Elapsed;

        var count = sample.Members.Count;
        var ids = new Guid[count];
        var members = new Guid[count];
        var emails = new string[count];
        var hashes = new string[count];
        var protectedTokens = new string[count];
        var languages = new string[count];
        var subjects = new string[count];
        var issued = new IssuedInvitation[count];
        var surveyLanguages = opened.Languages.Count > 0 ? opened.Languages : ["fi"];
        var subjectByLanguage = surveyLanguages.Distinct().ToDictionary(l => l, l => EmailTemplates.InvitationSubject(l, Text(opened.Title, l), reminder: false));
        // One Data Protection call for the survey's data key; each token is encrypted under it with AES-GCM.
        using var key = tokens.NewSurveyKey(opened.SurveyId);
        survey.TokenKey = key.Protected;
        // Tokens (random bytes, a hash and an AES-GCM encryption each) are prepared a statement's worth at a time,
        // spread over the cores, while the database copies in the previous statement's rows.
        var tokensTime = TimeSpan.Zero;
        void Prepare(int from, int to) => Parallel.For(from, to, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var m = sample.Members[i];
            var (token, hash) = tokens.New();
            var language = surveyLanguages.Contains(m.Language) ? m.Language : surveyLanguages[0];
            ids[i] = Guid.CreateVersion7(now);
            members[i] = m.Id;
            emails[i] = m.Email;
            hashes[i] = hash;
            protectedTokens[i] = key.Encrypt(ids[i], token);
            languages[i] = language;
            subjects[i] = subjectByLanguage[language];
            issued[i] = new IssuedInvitation(hash, new ProfileSnapshot(m.AgeBand, m.Municipality, m.Gender, m.Language, m.IsClient), language);
        });

        var tokensAt = clock.Elapsed;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        Task inserting = Task.CompletedTask;
        for (var start = 0; start < count; start += StatementSize)
        {
            var length = Math.Min(StatementSize, count - start);
            var preparing = Stopwatch.StartNew();
            Prepare(start, start + length);
            tokensTime += preparing.Elapsed;
            await inserting;
            inserting = CopyAsync(connection, opened.SurveyId, now, start, length, ids, members, emails, hashes, protectedTokens, languages, subjects, ct);
        }

        await inserting;
        var insertedAt = clock.Elapsed;
        foreach (var chunk in issued.Chunk(o.ChunkSize))
        {
            db.AddEvent(new SurveyInvitationsIssued(opened.SurveyId, chunk), time);
        }

        survey.Eligible = candidates.Count;
        survey.Issued = count;
        survey.Shortfall = sample.Shortfalls.Count > 0 ? JsonSerializer.Serialize(sample.Shortfalls, Json) : null;
        await db.SaveChangesAsync(ct);
        // The emails are held: the sender is woken by Surveys' acknowledgements (SurveyInvitationsStoredConsumer), not here.

        // Phase timings (no personal data): where the time of a large issue goes.
        LogIssued(logger, count, opened.SurveyId, candidates.Count, (long)clock.Elapsed.TotalMilliseconds, (long)candidatesAt.TotalMilliseconds,
            (long)(sampledAt - candidatesAt).TotalMilliseconds, (long)tokensTime.TotalMilliseconds,
            (long)(insertedAt - tokensAt).TotalMilliseconds, (long)(clock.Elapsed - insertedAt).TotalMilliseconds);
        foreach (var s in sample.Shortfalls)
        {
            LogShortfall(logger, opened.SurveyId, s.Attribute, s.Wanted, s.Invited);
        }

        return count;
    }

    /// <summary>
    /// A statement's worth of invitations (not yet acknowledged) and their emails in the email outbox, held, with binary
    /// COPY on the transaction's connection (COPY runs in the open transaction: the issue stays atomic). The email's body is rendered when it is
    /// sent, from the encrypted token: the link is never stored in clear. The address was read with the candidates,
    /// in this transaction.
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection connection, Guid surveyId, DateTimeOffset now, int start, int length, Guid[] ids,
        Guid[] members, string[] emails, string[] hashes, string[] protectedTokens, string[] languages, string[] subjects, CancellationToken ct)
    {
        await using (var invitations = await connection.BeginBinaryImportAsync("""
            COPY invitations (id, survey_id, member_id, token_hash, protected_token, language, invited_at,
                attempts, opened, answered, reminders_queued, reminders_sent, reminders_failed) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = start; i < start + length; i++)
            {
                await invitations.StartRowAsync(ct);
                await invitations.WriteAsync(ids[i], NpgsqlDbType.Uuid, ct);
                await invitations.WriteAsync(surveyId, NpgsqlDbType.Uuid, ct);
                await invitations.WriteAsync(members[i], NpgsqlDbType.Uuid, ct);
                await invitations.WriteAsync(hashes[i], NpgsqlDbType.Varchar, ct);
                await invitations.WriteAsync(protectedTokens[i], NpgsqlDbType.Varchar, ct);
                await invitations.WriteAsync(languages[i], NpgsqlDbType.Varchar, ct);
                await invitations.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await invitations.WriteAsync(0, NpgsqlDbType.Integer, ct);
                await invitations.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await invitations.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await invitations.WriteAsync(0, NpgsqlDbType.Integer, ct);
                await invitations.WriteAsync(0, NpgsqlDbType.Integer, ct);
                await invitations.WriteAsync(0, NpgsqlDbType.Integer, ct);
            }

            await invitations.CompleteAsync(ct);
        }

        await using (var outbox = await connection.BeginBinaryImportAsync("""
            COPY email_outbox (id, member_id, invitation_id, kind, to_address, language, subject, created_at, attempts, held) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var kind = nameof(EmailKind.Invitation);
            for (var i = start; i < start + length; i++)
            {
                await outbox.StartRowAsync(ct);
                await outbox.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, ct);
                await outbox.WriteAsync(members[i], NpgsqlDbType.Uuid, ct);
                await outbox.WriteAsync(ids[i], NpgsqlDbType.Uuid, ct);
                await outbox.WriteAsync(kind, NpgsqlDbType.Varchar, ct);
                await outbox.WriteAsync(emails[i], NpgsqlDbType.Varchar, ct);
                await outbox.WriteAsync(languages[i], NpgsqlDbType.Varchar, ct);
                await outbox.WriteAsync(subjects[i], NpgsqlDbType.Varchar, ct);
                await outbox.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await outbox.WriteAsync(0, NpgsqlDbType.Integer, ct);
                await outbox.WriteAsync(true, NpgsqlDbType.Boolean, ct);
            }

            await outbox.CompleteAsync(ct);
        }
    }

    /// <summary>Invitable members matching the criteria who have not been invited MaxPerMember times within WindowDays, by id.</summary>
    public async Task<List<Candidate>> CandidatesAsync(MembershipDbContext db, TargetFilter filter, CancellationToken ct)
    {
        var o = invitationOptions.Value;
        var today = membershipOptions.Value.Today(time);
        var consent = await CurrentConsent.VersionAsync(db, membershipOptions.Value, ct);
        var sql = $"""
            SELECT m.id, m.email, m.reported_age_band AS age_band, m.municipality, m.gender, m.language, m.is_client
            FROM members m
            WHERE {InvitableMembers.Where}
              AND m.id NOT IN (
                SELECT i.member_id FROM invitations i
                WHERE i.member_id IS NOT NULL AND i.invited_at > @since
                GROUP BY i.member_id HAVING count(*) >= @max_per_member)
            ORDER BY m.id
            """;
        object[] parameters =
        [
            .. InvitableMembers.Parameters(filter, today, consent),
            new NpgsqlParameter("since", time.GetUtcNow().AddDays(-o.WindowDays)),
            new NpgsqlParameter("max_per_member", (long)o.MaxPerMember),
        ];
        return await db.Database.SqlQueryRaw<Candidate>(sql, parameters).ToListAsync(ct);
    }

    /// <summary>The text in the language, else in the first language that has one.</summary>
    public static string Text(IReadOnlyDictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var text) && !string.IsNullOrWhiteSpace(text) ? text
        : texts.Values.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? "";

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} is already known; no invitations issued")]
    private static partial void LogAlreadyKnown(ILogger logger, Guid surveyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued {Count} invitations to survey {SurveyId} ({Eligible} members eligible) in {ElapsedMs} ms: "
        + "candidates {CandidatesMs} ms, sample {SampleMs} ms, tokens {TokensMs} ms, rows and email outbox {InsertMs} ms (COPY; overlaps the tokens), events {EventsMs} ms")]
    private static partial void LogIssued(ILogger logger, int count, Guid surveyId, int eligible, long elapsedMs, long candidatesMs, long sampleMs, long tokensMs, long insertMs, long eventsMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey {SurveyId}: fewer than the minimum group size {K} members to invite; no invitations issued")]
    private static partial void LogTooFew(ILogger logger, Guid surveyId, int k);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey {SurveyId}: the quota on {Attribute} wanted {Wanted} members, only {Invited} could be invited")]
    private static partial void LogShortfall(ILogger logger, Guid surveyId, string attribute, int wanted, int invited);
}
