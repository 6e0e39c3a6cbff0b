using Microsoft.AspNetCore.Mvc.Testing;

namespace Panel.TestSupport;

/// <summary>
/// A process in a test on the in-memory test server (the default) or on a real Kestrel socket at 127.0.0.1 and a free
/// port, which is then the factory's ClientOptions.BaseAddress.
/// </summary>
public static class KestrelHosting
{
    /// <summary>Starts the factory's host now, on Kestrel at a free local port when <paramref name="onKestrel"/>.</summary>
    public static void Start<TProgram>(WebApplicationFactory<TProgram> factory, bool onKestrel) where TProgram : class
    {
        if (onKestrel)
        {
            factory.UseKestrel(0);
            factory.StartServer();
        }
        else
        {
            _ = factory.Server;
        }
    }
}
