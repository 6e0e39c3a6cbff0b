using System.Diagnostics;
using System.Net;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// One Panel process started as run.sh starts it: <c>dotnet bin/&lt;Configuration&gt;/net10.0/Panel.X.dll</c>
/// from its project directory, with the environment run.sh gives it. Its output goes to a log file.
/// </summary>
public sealed class PanelProcess : IAsyncDisposable
{
    /// <summary>Variables of the test process that would configure Panel behind the test's back
    /// (servers.sh env exports the shared instance's connection strings and keys).</summary>
    private static readonly string[] InheritedPanelPrefixes =
    [
        "ConnectionStrings__", "services__", "GatewayToken__", "Bootstrap__", "RateLimits__", "Database__",
        "Messaging__", "Membership__", "Reporting__", "Demo__", "Gateway__", "ASPNETCORE_", "OTEL_", "PANEL_TEST_",
    ];

    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(90);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Lock _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    public PanelProcess(string name, string projectDirectory, string dllPath, int port, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        Name = name;
        ProjectDirectory = projectDirectory;
        DllPath = dllPath;
        Port = port;
        _environment = environment;
        LogPath = logPath;
    }

    public string Name { get; }
    public string ProjectDirectory { get; }
    public string DllPath { get; }
    public int Port { get; }
    public string LogPath { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process and waits until its /health answers 200.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        if (!File.Exists(DllPath))
        {
            throw new InvalidOperationException(
                $"{DllPath} does not exist: build the product in the tests' configuration first (dotnet build Panel.Ci.slnf -c <Configuration>).");
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(ProjectDirectory);
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (InheritedPanelPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        lock (_logLock)
        {
            _log ??= new StreamWriter(new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            _log.WriteLine($"==== {DateTime.UtcNow:O} starting {Name} on {Url}: dotnet {DllPath} (cwd {ProjectDirectory})");
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        await WaitHealthyAsync(process);
    }

    private async Task WaitHealthyAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + HealthTimeout;
        var last = "no answer";
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // drains the output into the log
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} during start-up. The end of {LogPath}:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"{Name} did not answer {Url}health with 200 within {HealthTimeout.TotalSeconds} s (last: {last}). The end of {LogPath}:\n{Tail()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Kills the process and everything it started, as a crash or an operator would.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
        finally
        {
            Write($"==== {DateTime.UtcNow:O} stopped {Name}");
            process.Dispose();
        }
    }

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(log not readable: {ex.Message})";
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
