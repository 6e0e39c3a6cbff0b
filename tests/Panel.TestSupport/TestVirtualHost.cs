using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Panel.TestSupport;

/// <summary>A RabbitMQ virtual host of one test class, so tests running at once never see each other's events.</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    private TestVirtualHost(HttpClient management, string name, Uri amqp)
    {
        _management = management;
        Name = name;
        AmqpUri = amqp;
    }

    public string Name { get; }
    public Uri AmqpUri { get; }

    public static async Task<TestVirtualHost> CreateAsync()
    {
        var servers = await TestServers.GetAsync();
        var management = new HttpClient { BaseAddress = servers.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{servers.RabbitMqUser}:{servers.RabbitMqPassword}")));
        var name = "t-" + Guid.NewGuid().ToString("N");
        (await management.PutAsJsonAsync($"/api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"/api/permissions/{name}/{Uri.EscapeDataString(servers.RabbitMqUser)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        var amqp = new UriBuilder(servers.RabbitMqUri) { Path = "/" + name }.Uri;
        return new TestVirtualHost(management, name, amqp);
    }

    /// <summary>Messages waiting in a queue of this virtual host (e.g. an _error queue).</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        var response = await _management.GetAsync($"/api/queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<QueueInfo>();
        return info?.Messages ?? 0;
    }

    /// <summary>The queue's type as RabbitMQ reports it (classic, quorum), or null when it does not exist.</summary>
    public async Task<string?> QueueTypeAsync(string queue)
    {
        var response = await _management.GetAsync($"/api/queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<QueueInfo>())?.Type;
    }

    private sealed record QueueInfo(int Messages, string? Type);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _management.DeleteAsync($"/api/vhosts/{Name}");
        }
        finally
        {
            _management.Dispose();
        }
    }
}
