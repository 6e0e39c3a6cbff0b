using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Panel.Surveys.Tests;

public static class HostExtensions
{
    /// <summary>The bodies of the events of type <typeparamref name="TEvent"/> about a survey in the outbox, oldest first.</summary>
    public static async Task<List<JsonElement>> EventsAsync<TEvent>(this SurveysHost host, Guid surveyId)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT body::text FROM outbox_messages WHERE message_type = @type AND body->>'surveyId' = @id ORDER BY created_at, id", connection);
        command.Parameters.AddWithValue("type", typeof(TEvent).FullName!);
        command.Parameters.AddWithValue("id", surveyId.ToString());
        var bodies = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            bodies.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }

        return bodies;
    }

    /// <summary>The answer sets the mixer sent for a survey (ResponsesSubmitted, flattened in the order sent).</summary>
    public static async Task<List<JsonElement>> ResponsesAsync(this SurveysHost host, Guid surveyId) =>
        [.. (await host.EventsAsync<Panel.Contracts.ResponsesSubmitted>(surveyId)).SelectMany(e => e.GetProperty("responses").EnumerateArray())];

    /// <summary>Every event about a survey, by short type name, oldest first.</summary>
    public static async Task<List<string>> EventNamesAsync(this SurveysHost host, Guid surveyId)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT message_type FROM outbox_messages WHERE body->>'surveyId' = @id ORDER BY created_at, id", connection);
        command.Parameters.AddWithValue("id", surveyId.ToString());
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0).Split('.')[^1]);
        }

        return names;
    }

    public static Task<string> StateAsync(this SurveysHost host, Guid surveyId) =>
        host.Database.ScalarAsync<string>("SELECT state FROM surveys WHERE id = @p0", surveyId);

    public static Task<int> VersionAsync(this SurveysHost host, Guid surveyId) =>
        host.Database.ScalarAsync<int>("SELECT definition_version FROM surveys WHERE id = @p0", surveyId);

    public static Task<long> SurveyCountAsync(this SurveysHost host) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM surveys");

    public static async Task ExecuteAsync(this SurveysHost host, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores an answer the way the answering part will (a seam for "answers exist").</summary>
    public static Task AddAnswerAsync(this SurveysHost host, Guid surveyId, int version, string answersJson = """{"nps":9}""") =>
        host.ExecuteAsync(
            "INSERT INTO survey_responses (id, survey_id, definition_version, submitted_on, channel, answers) VALUES (gen_random_uuid(), @p0, @p1, current_date, 'invitation', @p2::jsonb)",
            surveyId, version, answersJson);

    /// <summary>Times in the API's form, relative to the host's clock.</summary>
    public static object Schedule(this SurveysHost host, TimeSpan opensIn, TimeSpan closesIn, string? comment = null) => new
    {
        opensAt = host.Clock.GetUtcNow() + opensIn,
        closesAt = host.Clock.GetUtcNow() + closesIn,
        comment,
    };

    /// <summary>Drives a new survey (created by <paramref name="owner"/>) to a state through the API, as a coordinator would.</summary>
    public static async Task<Guid> SurveyInStateAsync(this SurveysHost host, Staff owner, string state, System.Text.Json.Nodes.JsonObject? content = null)
    {
        var id = await host.As(owner).CreateIdAsync(content);
        var coordinator = host.As(Staff.Coordinator());
        async Task Step(HttpResponseMessage response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        if (state == "draft")
        {
            return id;
        }

        await Step(await coordinator.PostAsync($"/api/surveys/{id}/submit"));
        if (state == "in-review")
        {
            return id;
        }

        var opensIn = state == "approved" ? TimeSpan.FromDays(1) : TimeSpan.Zero;
        await Step(await coordinator.PostAsync($"/api/surveys/{id}/approve", host.Schedule(opensIn, TimeSpan.FromDays(14))));
        if (state is "approved" or "open")
        {
            Assert.Equal(state == "approved" ? "Approved" : "Open", await host.StateAsync(id));
            return id;
        }

        await Step(await coordinator.PostAsync($"/api/surveys/{id}/close"));
        if (state == "closed")
        {
            return id;
        }

        await Step(await coordinator.PostAsync($"/api/surveys/{id}/publish-results"));
        Assert.Equal("results-published", state);
        return id;
    }

    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
