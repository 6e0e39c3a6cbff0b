using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Panel.Membership.SignIn;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>A resident as the gateway would drive one: join, follow the emailed links, sign in.</summary>
public sealed record SignedInResident(Guid Id, string Email, string Token);

public static class Residents
{
    public static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(30);

    public static int ThisYear => DateTime.UtcNow.Year;

    public static string NewEmail() => $"resident-{Guid.NewGuid():N}@example.fi";

    public static object Join(string email, string language = "fi", string municipality = "Tampere", string? phone = "+358 40 123 4567") => new
    {
        email,
        phone,
        birthYear = ThisYear - 40,
        municipality,
        gender = "woman",
        language,
        isClient = true,
        consent = true,
        campaignCode = "POSTER-1",
    };

    public static HttpClient Public(this MembershipHost host) => host.Client(TestTokens.Public(ServiceNames.Membership));

    public static HttpClient As(this MembershipHost host, Guid panelistId) =>
        host.Client(TestTokens.Resident(ServiceNames.Membership, panelistId));

    public static async Task<Guid> IdOfAsync(this MembershipHost host, string email) =>
        Guid.Parse(await host.Database.ScalarAsync<string>("SELECT id::text FROM members WHERE email = @p0", email));

    /// <summary>Joins and returns the verification email.</summary>
    public static async Task<MimeMessage> JoinAsync(this MembershipHost host, string email, string language = "fi")
    {
        var response = await host.Public().PostAsJsonAsync("/api/membership/members", Join(email, language));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await host.Smtp.WaitForMessageToAsync(email, MailTimeout);
    }

    public static Task<HttpResponseMessage> VerifyAsync(this MembershipHost host, string token) =>
        host.Public().PostAsJsonAsync("/api/membership/verifications", new { token });

    public static Task<HttpResponseMessage> StartSessionAsync(this MembershipHost host, string token) =>
        host.Public().PostAsJsonAsync("/api/membership/sessions", new { token });

    /// <summary>Joins, verifies by the emailed link, asks for a sign-in link and signs in with it.</summary>
    public static async Task<SignedInResident> SignedInAsync(this MembershipHost host, string language = "fi")
    {
        var email = NewEmail();
        var verification = await host.JoinAsync(email, language);
        (await host.VerifyAsync(SmtpSink.TokenIn(verification))).EnsureSuccessStatusCode();
        var signIn = await host.RequestSignInLinkAsync(email, expectedMessages: 2);
        var session = await host.StartSessionAsync(SmtpSink.TokenIn(signIn));
        session.EnsureSuccessStatusCode();
        var body = await session.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("panelistId").GetGuid();
        return new SignedInResident(id, email, TestTokens.Resident(ServiceNames.Membership, id));
    }

    /// <summary>Asks for a sign-in link and returns the email that then arrives (the n-th to the address).</summary>
    public static async Task<MimeMessage> RequestSignInLinkAsync(this MembershipHost host, string email, int expectedMessages)
    {
        var response = await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var messages = await host.Smtp.WaitForMessagesToAsync(email, expectedMessages, MailTimeout);
        return messages[expectedMessages - 1];
    }

    /// <summary>Waits until every sign-in link request taken so far is handled (its email queued or dropped by the limits).</summary>
    public static Task SignInLinksHandledAsync(this MembershipHost host) =>
        Eventually.UntilAsync(
            () => Task.FromResult(host.Services.GetRequiredService<SignInLinkRequests>().Pending),
            n => n == 0, TimeSpan.FromSeconds(30), "the sign-in link requests to be handled");

    public static async Task<int> ExecuteAsync(this MembershipHost host, string sql, params object[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public static Task<long> OutboxCountAsync(this MembershipHost host, string eventName, Guid id) =>
        host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = @p0 AND body->>'panelistId' = @p1", "Panel.Contracts." + eventName, id.ToString());

    public static async Task<JsonElement> OutboxEventAsync(this MembershipHost host, string eventName, Guid id)
    {
        var body = await host.Database.ScalarAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type = @p0 AND body->>'panelistId' = @p1 ORDER BY created_at DESC LIMIT 1",
            "Panel.Contracts." + eventName, id.ToString());
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> ProblemErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors");
    }
}
