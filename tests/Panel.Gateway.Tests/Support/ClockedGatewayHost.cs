using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Panel.Gateway.Tests.Support;

/// <summary>A gateway of its own whose clock the tests move (session timeouts); the cookies' handlers read it too.</summary>
public sealed class ClockedGatewayHost : GatewayHost
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
