using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Panel.Surveys.Tests;

/// <summary>Survey content as a client sends it, and the API calls the tests repeat.</summary>
public static class Samples
{
    public static JsonObject T(string text) => new() { ["fi"] = text + " (fi)", ["sv"] = text + " (sv)", ["en"] = text + " (en)" };

    public static JsonArray Options(params string[] ids) => [.. ids.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["label"] = T("Option " + id) })];

    /// <summary>A survey with every question type, conditions on a question and a page, complete in fi, sv and en.</summary>
    public static JsonObject Survey(string area = SurveysHost.Area) => new()
    {
        ["kind"] = "questionnaire",
        ["serviceArea"] = area,
        ["languages"] = new JsonArray("fi", "sv", "en"),
        ["title"] = T("Home care survey"),
        ["purpose"] = T("To learn how home care works"),
        ["resultsUse"] = T("The home care team chooses what to improve"),
        ["pages"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "p1",
                ["title"] = T("Your use of services"),
                ["questions"] = new JsonArray(
                    new JsonObject { ["type"] = "single-choice", ["id"] = "used", ["text"] = T("Did you use home care?"), ["required"] = true, ["options"] = Options("yes", "no") },
                    new JsonObject
                    {
                        ["type"] = "multiple-choice", ["id"] = "channels", ["text"] = T("How did you contact us?"), ["options"] = Options("web", "phone", "visit", "letter"),
                        ["minPicks"] = 1, ["maxPicks"] = 2, ["showIf"] = new JsonObject { ["questionId"] = "used", ["anyOf"] = new JsonArray("yes") },
                    },
                    new JsonObject
                    {
                        ["type"] = "likert", ["id"] = "satisfied", ["text"] = T("I am satisfied"), ["required"] = true, ["points"] = 5,
                        ["labels"] = new JsonArray(T("1"), T("2"), T("3"), T("4"), T("5")),
                    },
                    new JsonObject { ["type"] = "nps", ["id"] = "nps", ["text"] = T("Would you recommend us?"), ["required"] = true, ["lowLabel"] = T("Never"), ["highLabel"] = T("Surely") }),
            },
            new JsonObject
            {
                ["id"] = "p2",
                ["showIf"] = new JsonObject { ["questionId"] = "used", ["anyOf"] = new JsonArray("yes") },
                ["questions"] = new JsonArray(
                    new JsonObject { ["type"] = "number", ["id"] = "visits", ["text"] = T("Visits a week"), ["min"] = 0, ["max"] = 50, ["step"] = 1, ["unit"] = T("visits") },
                    new JsonObject
                    {
                        ["type"] = "free-text", ["id"] = "why", ["text"] = T("Why that score?"), ["maxLength"] = 500,
                        ["showIf"] = new JsonObject { ["questionId"] = "nps", ["min"] = 0, ["max"] = 6 },
                    },
                    new JsonObject { ["type"] = "ranking", ["id"] = "priorities", ["text"] = T("Rank"), ["options"] = Options("a", "b", "c", "d"), ["rankCount"] = 2 },
                    new JsonObject { ["type"] = "matrix", ["id"] = "aspects", ["text"] = T("Rate"), ["rows"] = Options("r1", "r2"), ["scale"] = Options("bad", "ok", "good") },
                    new JsonObject
                    {
                        ["type"] = "budget", ["id"] = "budget", ["text"] = T("Share 10 vouchers"), ["vouchers"] = 10,
                        ["options"] = new JsonArray(
                            new JsonObject { ["id"] = "x", ["label"] = T("X"), ["cap"] = 6 },
                            new JsonObject { ["id"] = "y", ["label"] = T("Y") },
                            new JsonObject { ["id"] = "z", ["label"] = T("Z") }),
                    }),
            }),
    };

    /// <summary>The question at pages[page].questions[index] of a sample.</summary>
    public static JsonObject Question(JsonObject survey, int page, int index) => survey["pages"]![page]!["questions"]![index]!.AsObject();

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> CreateAsync(this HttpClient client, JsonObject? survey = null)
    {
        var response = await client.PostAsync("/api/surveys", Json(survey ?? Survey()));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<Guid> CreateIdAsync(this HttpClient client, JsonObject? survey = null) =>
        (await client.CreateAsync(survey)).GetProperty("id").GetGuid();

    public static async Task<JsonElement> GetSurveyAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/surveys/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object? body = null) =>
        client.PostAsync(path, Json(JsonSerializer.Serialize(body ?? new { }, JsonSerializerOptions.Web)));

    /// <summary>The <c>errors</c> of a 400 problem.</summary>
    public static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("errors");
    }

    /// <summary>A 409 problem's detail and reasons.</summary>
    public static async Task<JsonElement> ConflictAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"expected 409, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    public static string[] Keys(JsonElement errors) => [.. errors.EnumerateObject().Select(p => p.Name)];
}
