using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>Invitations, answer sets and the answering calls the answering tests repeat.</summary>
public static class Answering
{
    public const string Form = "/api/surveys/answering/invitation/form";
    public const string Draft = "/api/surveys/answering/invitation/draft";
    public const string Submit = "/api/surveys/answering/invitation/submit";

    public static string OpenForm(string publicId) => $"/api/surveys/answering/open/{publicId}/form";
    public static string OpenDraft(string publicId) => $"/api/surveys/answering/open/{publicId}/draft";
    public static string OpenSubmit(string publicId) => $"/api/surveys/answering/open/{publicId}/submit";

    public static readonly ProfileSnapshot Profile = new("65-74", "Tampere", "woman", "sv", true);

    /// <summary>A token as Membership makes one: 32 random bytes, base64url.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A client as the gateway forwards an anonymous resident (the public actor's token).</summary>
    public static HttpClient Public(this SurveysHost host) => host.Client(TestTokens.Public(ServiceNames.Surveys));

    /// <summary>Publishes invitations for the survey as Membership does, and waits until Surveys has stored them.</summary>
    public static async Task<List<string>> InviteAsync(this SurveysHost host, Guid surveyId, int count = 1, ProfileSnapshot? profile = null, string language = "sv")
    {
        var tokens = Enumerable.Range(0, count).Select(_ => NewToken()).ToList();
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(new SurveyInvitationsIssued(surveyId, [.. tokens.Select(t => new IssuedInvitation(Hash(t), profile ?? Profile, language))]));
        var before = tokens.Select(Hash).ToArray();
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE token_hash = ANY(@p0)", [before]),
            n => n == count, TimeSpan.FromSeconds(30), "the invitations to be stored");
        return tokens;
    }

    /// <summary>An open survey (the sample with every question type) with one invitation; returns the survey and the token.</summary>
    public static async Task<(Guid Survey, string Token)> InvitedAsync(this SurveysHost host, string language = "sv")
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "open");
        return (id, (await host.InviteAsync(id, language: language)).Single());
    }

    /// <summary>A complete, valid answer set to the sample survey; the free text holds personal data to be masked.</summary>
    public static JsonObject Valid() => new()
    {
        ["used"] = "yes",
        ["channels"] = new JsonArray("web", "phone"),
        ["satisfied"] = 4,
        ["nps"] = 5,
        ["visits"] = 3,
        ["why"] = "Call me on 040 123 4567 or write to matti.meikalainen@example.fi, my code is 131052-308T.",
        ["priorities"] = new JsonArray("b", "a"),
        ["aspects"] = new JsonObject { ["r1"] = "ok", ["r2"] = "good" },
        ["budget"] = new JsonObject { ["x"] = 6, ["y"] = 4 },
    };

    public static JsonObject Request(string? token, JsonObject? answers = null, string? page = null, string? language = null)
    {
        var body = new JsonObject { ["token"] = token };
        if (answers is not null)
        {
            body["answers"] = answers.DeepClone();
        }

        if (page is not null)
        {
            body["page"] = page;
        }

        if (language is not null)
        {
            body["language"] = language;
        }

        return body;
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, JsonNode body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = Json(body) });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) => client.SendAsync(HttpMethod.Post, path, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, JsonNode body) => client.SendAsync(HttpMethod.Put, path, body);

    /// <summary>A problem's status and <c>reason</c>.</summary>
    public static async Task<string?> ReasonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
    }

    /// <summary>What the answering tables and events hold for a survey: nothing may change on a refused call.</summary>
    public static async Task<string> AnsweringStateAsync(this SurveysHost host, Guid surveyId) => string.Join(" | ",
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", surveyId),
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", surveyId),
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", surveyId),
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND answered", surveyId),
        await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND opened", surveyId),
        string.Join(",", await host.EventNamesAsync(surveyId)));

    /// <summary>An open survey whose target group is an open link; returns its id and public id.</summary>
    public static async Task<(Guid Survey, string PublicId)> OpenLinkSurveyAsync(this SurveysHost host, string state = "open")
    {
        var author = Staff.Author();
        var id = await host.SurveyInStateAsync(author, "draft");
        var set = await host.As(author).PutJsonAsync($"/api/surveys/{id}/target-group", new JsonObject { ["mode"] = "open-link" });
        var publicId = (await set.BodyAsync(HttpStatusCode.OK)).GetProperty("publicId").GetString()!;
        if (state == "draft")
        {
            return (id, publicId);
        }

        var coordinator = host.As(Staff.Coordinator());
        (await coordinator.PostAsync($"/api/surveys/{id}/submit")).EnsureSuccessStatusCode();
        var opensIn = state == "approved" ? TimeSpan.FromDays(1) : TimeSpan.Zero;
        (await coordinator.PostAsync($"/api/surveys/{id}/approve", host.Schedule(opensIn, TimeSpan.FromDays(14)))).EnsureSuccessStatusCode();
        if (state == "closed")
        {
            (await coordinator.PostAsync($"/api/surveys/{id}/close")).EnsureSuccessStatusCode();
        }

        return (id, publicId);
    }
}
