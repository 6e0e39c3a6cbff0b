using Microsoft.Extensions.Logging;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// The AppHost's log into a directory: each process's console output (the dashboard's console logs, logged by the
/// AppHost under Panel.AppHost.Resources.NAME) into NAME.log, and the AppHost's own (what it starts, waits for and
/// why a resource failed) into apphost.log.
/// </summary>
internal sealed class FileLoggerProvider(string directory) : ILoggerProvider
{
    private const string ResourcePrefix = "Panel.AppHost.Resources.";
    private readonly Dictionary<string, StreamWriter> _files = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var file in _files.Values)
            {
                file.Dispose();
            }

            _files.Clear();
        }
    }

    private void Write(string category, string line)
    {
        var name = category.StartsWith(ResourcePrefix, StringComparison.Ordinal) ? category[ResourcePrefix.Length..] : "apphost";
        lock (_lock)
        {
            if (!_files.TryGetValue(name, out var file))
            {
                file = new StreamWriter(Path.Combine(directory, name + ".log"), append: false) { AutoFlush = true };
                _files[name] = file;
            }

            file.WriteLine(line);
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            }
        }
    }
}
