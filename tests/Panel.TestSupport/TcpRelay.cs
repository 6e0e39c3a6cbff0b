using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Panel.TestSupport;

/// <summary>
/// A TCP relay of a test's own in front of a server (PostgreSQL, RabbitMQ) that the test can take away and bring back,
/// to see a service through an outage without touching the shared server: <see cref="RefuseAsync"/> drops every
/// relayed connection and stops listening, so new connections are refused; <see cref="Accept"/> listens again on the
/// same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly object _gate = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    private TcpRelay(IPEndPoint upstream)
    {
        _upstream = upstream;
        var listener = Listen(0);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Run(listener);
    }

    public int Port { get; }

    /// <summary>A relay to <paramref name="host"/>:<paramref name="port"/>, listening on a free local port.</summary>
    public static TcpRelay Start(string host, int port) =>
        new(new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port));

    /// <summary>A relay to the PostgreSQL server of <paramref name="connectionString"/>, and the connection string through it.</summary>
    public static (TcpRelay Relay, string ConnectionString) ForPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var relay = Start(builder.Host ?? "127.0.0.1", builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = relay.Port;
        return (relay, builder.ConnectionString);
    }

    /// <summary>Drops every relayed connection (as a server restart does) and refuses new ones until <see cref="Accept"/>.</summary>
    public async Task RefuseAsync()
    {
        Task accepting;
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            accepting = _accepting;
        }

        await accepting;
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    /// <summary>Listens again, on the same port.</summary>
    public void Accept()
    {
        lock (_gate)
        {
            if (_listener is null)
            {
                Run(Listen(Port));
            }
        }
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // The port was just closed; the connections it accepted may linger in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    private void Run(TcpListener listener)
    {
        _listener = listener;
        _accepting = Task.Run(() => AcceptLoopAsync(listener));
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // stopped
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_upstream);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes with a reset, as a crashed or restarted server's connections end.</summary>
    private void Reset(Socket socket)
    {
        if (_open.TryRemove(socket, out _))
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
            }

            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await RefuseAsync();
}
