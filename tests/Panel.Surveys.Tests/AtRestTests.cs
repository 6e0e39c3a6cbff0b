using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// The database read as its administrator would, with Surveys' own outbox setting (events deleted once the broker
/// confirmed them): after answers, after the settler and after each release, no answer row shares a transaction id
/// (xmin) with a row that names an invitation, no stored time is finer than a day, and once everything is relayed
/// no outbox row holds answers or token hashes.
/// </summary>
public sealed class AtRestTests(AtRestTests.Host host) : IClassFixture<AtRestTests.Host>
{
    public sealed class Host : SurveysHost
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["Messaging:OutboxRetention"] = "00:00:00";
    }

    private async Task<HashSet<string>> XminsAsync(string sql, params object[] parameters) =>
        [.. (await host.Database.ScalarAsync<string>($"SELECT coalesce(string_agg(DISTINCT xmin::text, ','), '') FROM ({sql}) t", parameters))
            .Split(',', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Transaction ids of every live row that names an invitation (its token hash) and of every answer row.</summary>
    private async Task AssertNoAnswerSharesATransactionWithAnInvitationAsync(Guid survey, IReadOnlyList<string> hashes, string when)
    {
        var identifying = new HashSet<string>();
        identifying.UnionWith(await XminsAsync("SELECT xmin FROM invitations WHERE survey_id = @p0", survey));
        identifying.UnionWith(await XminsAsync("SELECT xmin FROM invitation_notices WHERE survey_id = @p0", survey));
        identifying.UnionWith(await XminsAsync("SELECT xmin FROM answer_drafts WHERE survey_id = @p0", survey));
        identifying.UnionWith(await XminsAsync("SELECT xmin FROM outbox_messages WHERE body::text LIKE ANY (@p0)", (object)hashes.Select(h => $"%{h}%").ToArray()));
        var answers = new HashSet<string>();
        answers.UnionWith(await XminsAsync("SELECT xmin FROM pending_responses WHERE survey_id = @p0", survey));
        answers.UnionWith(await XminsAsync("SELECT xmin FROM survey_responses WHERE survey_id = @p0", survey));
        answers.UnionWith(await XminsAsync("SELECT xmin FROM outbox_messages WHERE message_type = 'Panel.Contracts.ResponsesSubmitted' AND body->>'surveyId' = @p0", survey.ToString()));
        Assert.True(answers.Count > 0, when);
        Assert.True(identifying.Count > 0, when);
        Assert.False(answers.Overlaps(identifying), $"{when}: answer rows share a transaction with invitation rows ({string.Join(',', answers.Intersect(identifying))})");
    }

    [Fact]
    public async Task No_answer_row_shares_a_transaction_with_an_invitation_row_and_nothing_sent_stays()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 14);
        var hashes = tokens.Select(Hash).ToList();
        var resident = host.Public();
        (await resident.PutJsonAsync(Draft, Request(tokens[13], new System.Text.Json.Nodes.JsonObject { ["used"] = "yes" }, page: "p1"))).EnsureSuccessStatusCode();
        foreach (var token in tokens.Take(12))
        {
            (await resident.PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        }

        // Just answered: the answer statement wrote the pending answer with the invitation (one transaction).
        var invitationXmins = await XminsAsync("SELECT xmin FROM invitations WHERE token_hash = ANY(@p0)", (object)hashes.Take(12).ToArray());
        Assert.True(invitationXmins.Overlaps(await XminsAsync("SELECT xmin FROM pending_responses WHERE survey_id = @p0", survey)));

        // Within a second the settler rewrites them; the notices go to the outbox meanwhile.
        Assert.Equal(12, await host.SettleAsync());
        await host.NoticesAsync(survey);
        await AssertNoAnswerSharesATransactionWithAnInvitationAsync(survey, hashes, "after settling");
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM pending_responses WHERE survey_id = @p0", survey));

        // A release of 7 (12 wait, k = 5 stay), then two more answers wait, unsettled, beside settled ones.
        Assert.Equal(7, await host.MixAsync());
        (await resident.PostJsonAsync(Submit, Request(tokens[12], Valid()))).EnsureSuccessStatusCode();
        (await resident.PostJsonAsync(Submit, Request(tokens[13], Valid()))).EnsureSuccessStatusCode();
        Assert.Equal(7, await host.SettleAsync());
        await host.NoticesAsync(survey);
        await AssertNoAnswerSharesATransactionWithAnInvitationAsync(survey, hashes, "after a release and more answers");

        Assert.Equal(7, await host.CloseAndMixAsync(survey));
        await AssertNoAnswerSharesATransactionWithAnInvitationAsync(survey, hashes, "after the closing release");

        // No stored time finer than a day beside an answer or an invitation.
        Assert.Equal("", await host.Database.ScalarAsync<string>("""
            SELECT coalesce(string_agg(table_name || '.' || column_name, ','), '') FROM information_schema.columns
            WHERE table_name IN ('invitations', 'invitation_notices', 'pending_responses', 'survey_responses') AND data_type LIKE 'timestamp%'
            """));
        Assert.Equal("date", await host.Database.ScalarAsync<string>(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'survey_responses' AND column_name = 'submitted_on'"));

        // Relayed: no event that lists answered invitations or answers stays in the outbox.
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE body->>'surveyId' = @p0", survey.ToString()),
            n => n == 0, TimeSpan.FromSeconds(30), "the survey's events to be relayed and deleted");
        // The invitations themselves aside, no row names a token hash (the answered drafts and the notices are gone).
        var elsewhere = string.Join('\n', (await host.Database.DumpTextAsync()).Split('\n').Where(l => !l.StartsWith("invitations.", StringComparison.Ordinal)));
        Assert.All(hashes, h => Assert.DoesNotContain(h, elsewhere, StringComparison.Ordinal));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type IN ('Panel.Contracts.ResponsesSubmitted', 'Panel.Contracts.InvitationsProgressed')"));
        Assert.Equal(14, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", survey));
    }
}
