using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace Panel.TestSupport;

/// <summary>
/// A real SMTP server for tests: aiosmtpd (Debian's python3-aiosmtpd) writing every message it
/// accepts into a Maildir, read back with MimeKit. It can be stopped and started again on the same
/// port, as an outage looks to a client.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _maildir;
    private readonly Dictionary<string, MimeMessage> _parsed = [];
    private Process? _process;

    private SmtpSink(string root, int port)
    {
        _root = root;
        _maildir = Path.Combine(root, "maildir");
        Port = port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Membership's email settings for sending to this server, with links to <paramref name="publicBaseUrl"/>.</summary>
    public void ConfigureMembership(IDictionary<string, string?> settings, string publicBaseUrl)
    {
        settings["Email:Smtp:Host"] = Host;
        settings["Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Email:Smtp:Security"] = "None";
        settings["Email:From"] = "Asukaspaneeli <panel@example.fi>";
        settings["Email:PublicBaseUrl"] = publicBaseUrl;
        settings["Email:PollInterval"] = "00:00:00.100";
        settings["Email:MaxBackoff"] = "00:00:01";
    }

    public static async Task<SmtpSink> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "panel-smtp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var sink = new SmtpSink(root, FreePort());
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>Starts the server (again) on the same port and Maildir.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}", "-c", "aiosmtpd.handlers.Mailbox", _maildir })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {_process.ExitCode}; is python3-aiosmtpd installed (apt-get install python3-aiosmtpd)?");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Stops the server: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far whose To or Cc holds the address.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string address)
    {
        lock (_parsed)
        {
            foreach (var folder in new[] { "new", "cur" })
            {
                var path = Path.Combine(_maildir, folder);
                if (!Directory.Exists(path))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(path))
                {
                    var name = Path.GetFileName(file).Split(':')[0];
                    if (!_parsed.ContainsKey(name))
                    {
                        try
                        {
                            _parsed[name] = MimeMessage.Load(file);
                        }
                        catch (IOException)
                        {
                            // Moved or still being renamed into place; read it next time.
                        }
                    }
                }
            }

            return _parsed.Values
                .Where(m => m.To.Mailboxes.Concat(m.Cc.Mailboxes).Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(m => m.Date)
                .ToList();
        }
    }

    /// <summary>Waits for the first message to the address.</summary>
    public Task<MimeMessage> WaitForMessageToAsync(string address, TimeSpan timeout) => WaitForMessagesToAsync(address, 1, timeout).ContinueWith(t => t.Result[0], TaskScheduler.Default);

    /// <summary>Waits until at least <paramref name="count"/> messages to the address have arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesToAsync(string address, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var messages = MessagesTo(address);
            if (messages.Count >= count)
            {
                return messages;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{messages.Count} of {count} messages to the address arrived within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The first link in the message's text that carries a token (…?token=…).</summary>
    public static Uri LinkIn(MimeMessage message)
    {
        var match = LinkPattern().Match(message.TextBody ?? "");
        return match.Success ? new Uri(match.Value) : throw new InvalidOperationException("The message holds no link with a token.");
    }

    /// <summary>The token of the message's link.</summary>
    public static string TokenIn(MimeMessage message)
    {
        var query = LinkIn(message).Query.TrimStart('?');
        var token = query.Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == "token")[1];
        return Uri.UnescapeDataString(token);
    }

    [GeneratedRegex(@"https?://\S+[?&]token=[A-Za-z0-9_\-%]+")]
    private static partial Regex LinkPattern();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
