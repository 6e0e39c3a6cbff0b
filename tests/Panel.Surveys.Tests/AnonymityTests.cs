using System.Text.Json;
using Panel.Contracts;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// The database inspected as an attacker with full read access would: a stored answer holds nothing that joins
/// it to the invitation (and so to the member Membership invited) — no token or its hash, no shared key, no
/// moment, no shared transaction.
/// </summary>
public sealed class AnonymityTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private Task<string> TextAsync(string sql, params object[] parameters) => host.Database.ScalarAsync<string>(sql, parameters);

    [Fact]
    public async Task An_answer_cannot_be_joined_back_to_its_invitation()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 3);
        var token = tokens[1];
        var hash = Hash(token);
        (await host.Public().PostJsonAsync(Form, Request(token))).EnsureSuccessStatusCode();
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        var invitationXmin = await TextAsync("SELECT xmin::text FROM invitations WHERE token_hash = @p0", hash);

        // Waiting for the mixer: written in the invitation's transaction, yet without anything of it.
        var pendingId = Guid.Parse(await TextAsync("SELECT id::text FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(4, pendingId.Version);
        var pendingXmin = await TextAsync("SELECT xmin::text FROM pending_responses WHERE id = @p0", pendingId);
        var pending = await TextAsync("SELECT row_to_json(p)::text FROM pending_responses p WHERE id = @p0", pendingId);
        Assert.DoesNotContain(hash, pending, StringComparison.Ordinal);
        Assert.DoesNotContain(token, pending, StringComparison.Ordinal);
        // The pending answer is written in the statement that marks the invitation answered (one transaction id),
        // and the settler rewrites it in a transaction of its own within a second.
        Assert.Equal(invitationXmin, pendingXmin);
        Assert.True(await host.SettleAsync() >= 1);
        var settledId = Guid.Parse(await TextAsync("SELECT id::text FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.NotEqual(pendingId, settledId);
        Assert.NotEqual(invitationXmin, await TextAsync("SELECT xmin::text FROM pending_responses WHERE id = @p0", settledId));

        await host.CloseAndMixAsync(survey);

        var responseId = Guid.Parse(await TextAsync("SELECT id::text FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Equal(4, responseId.Version);
        Assert.NotEqual(pendingId, responseId);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses"));
        var responseXmin = await TextAsync("SELECT xmin::text FROM survey_responses WHERE id = @p0", responseId);
        Assert.DoesNotContain(responseXmin, new[] { invitationXmin, pendingXmin });
        Assert.Equal(invitationXmin, await TextAsync("SELECT xmin::text FROM invitations WHERE token_hash = @p0", hash));
        var submitted = await TextAsync("SELECT body::text FROM outbox_messages WHERE message_type = @p0 AND body->>'surveyId' = @p1",
            typeof(ResponsesSubmitted).FullName!, survey.ToString());

        // Nothing of the invitation in the answer row or the event that carries it out of Surveys.
        var response = await TextAsync("SELECT row_to_json(r)::text FROM survey_responses r WHERE id = @p0", responseId);
        foreach (var text in new[] { response, submitted })
        {
            Assert.DoesNotContain(hash, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(hash[..16], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(pendingId.ToString(), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("matti", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("4567", text, StringComparison.Ordinal);
            Assert.DoesNotContain("308T", text, StringComparison.Ordinal);
        }

        // The time is a day; the profile only coarse bands; no column could hold a link.
        var message = JsonDocument.Parse(submitted).RootElement;
        Assert.Equal(["responses", "surveyId"], message.EnumerateObject().Select(p => p.Name).Order());
        var body = Assert.Single(message.GetProperty("responses").EnumerateArray());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", body.GetProperty("submittedOn").GetString());
        Assert.Equal(["ageBand", "gender", "isClient", "language", "municipality"], body.GetProperty("profile").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["answers", "channel", "definitionVersion", "profile", "submittedOn", "surveyId"], body.EnumerateObject().Select(p => p.Name).Order());
        foreach (var table in new[] { "survey_responses", "pending_responses" })
        {
            var columns = (await TextAsync(
                "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = @p0", table)).Split(',');
            string[] expected = ["answers:jsonb", "channel:character varying", "definition_version:integer", "id:uuid", "profile:jsonb", "submitted_on:date", "survey_id:uuid"];
            // A pending answer also says whether the settler has rewritten it yet (nothing of the invitation).
            string[] expectedHere = table == "pending_responses" ? [.. expected, "settled:boolean"] : expected;
            Assert.Equal(expectedHere.Order(StringComparer.Ordinal), columns.Order(StringComparer.Ordinal));
        }

        Assert.Equal(0, await host.Database.ScalarAsync<long>("""
            SELECT count(*) FROM information_schema.table_constraints c
            JOIN information_schema.constraint_column_usage u ON u.constraint_name = c.constraint_name
            WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_name IN ('survey_responses', 'pending_responses') AND u.table_name <> 'surveys'
            """));
    }

    [Fact]
    public async Task The_mixer_sends_a_batch_of_answers_in_an_order_unrelated_to_their_arrival()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 20);
        for (var i = 0; i < tokens.Count; i++)
        {
            var answers = Valid();
            answers["visits"] = i;
            (await host.Public().PostJsonAsync(Submit, Request(tokens[i], answers))).EnsureSuccessStatusCode();
        }

        await host.CloseAndMixAsync(survey);

        var order = (await host.ResponsesAsync(survey))
            .Select(e => e.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("questionId").GetString() == "visits").GetProperty("number").GetInt32())
            .ToList();
        Assert.Equal(Enumerable.Range(0, 20), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 20), order); // 1 in 20! that a fair shuffle keeps the order
        var transactions = await TextAsync("SELECT string_agg(DISTINCT xmin::text, ',') FROM survey_responses WHERE survey_id = @p0", survey);
        Assert.DoesNotContain(",", transactions, StringComparison.Ordinal); // one batch, one transaction
    }
}
