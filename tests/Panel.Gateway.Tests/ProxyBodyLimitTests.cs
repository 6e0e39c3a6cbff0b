using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

/// <summary>
/// A body sent in chunks, without a length, through the proxy: over the services' limit it is refused with 413
/// problem details every time (it used to be the proxy's 502 now and then: the service refused it mid-upload and
/// dropped the connection) and nobody joins; under the limit it goes through. Over real sockets, the gateway and the
/// services on Kestrel: the in-memory test server keeps no body limit and no connection to drop, so the 502 never
/// showed there, and its client cannot take an answer before it has sent the whole body.
/// </summary>
public sealed class ProxyBodyLimitTests(KestrelGatewayHost host) : IClassFixture<KestrelGatewayHost>
{
    private const string Join = "/api/membership/members";

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_problem_every_time_and_stores_nothing()
    {
        var before = await MembersAsync();
        var client = host.NewBrowser().Http;

        // Just over the limit to ten times it: the more is left to send when the service stops reading, the likelier
        // the service's dropped connection broke the upload.
        foreach (var size in new[] { 1.01, 2, 4, 10, 2, 4, 10, 1.5 })
        {
            using var response = await client.PostAsync(Join, Chunked(JoinBody(NewEmail(), padding: (int)(size * ServiceApiExtensions.MaxRequestBodyBytes))));

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
        }

        Assert.Equal(before, await MembersAsync());
    }

    [Fact]
    public async Task A_chunked_body_under_the_limit_goes_through()
    {
        var email = NewEmail();
        var client = host.NewBrowser().Http;

        using var response = await client.PostAsync(Join, Chunked(JoinBody(email, padding: (int)ServiceApiExtensions.MaxRequestBodyBytes - 4096)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
        Assert.Equal(1, await host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email));
    }

    private Task<long> MembersAsync() => host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members");

    private static string NewEmail() => $"chunked-{Guid.NewGuid():N}@example.fi";

    /// <summary>A valid join with <paramref name="padding"/> spaces of JSON whitespace in it.</summary>
    private static byte[] JoinBody(string email, int padding) => Encoding.UTF8.GetBytes(
        $$"""{"email":"{{email}}",{{new string(' ', padding)}}"phone":"+358 40 123 4567","birthYear":{{DateTime.UtcNow.Year - 40}},"municipality":"Tampere","gender":"woman","language":"fi","isClient":true,"consent":true}""");

    /// <summary>Content without a length: HttpClient sends it with Transfer-Encoding: chunked.</summary>
    private static StreamContent Chunked(byte[] body) =>
        new(new UnseekableStream(body), 16 * 1024) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
