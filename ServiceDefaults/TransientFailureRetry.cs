using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Panel.ServiceDefaults;

/// <summary>
/// Runs a service's request again, in a new scope, when it failed on a transient database failure before anything
/// of it may have been committed and before its answer started: the unit of work in the code's own transaction
/// (an answer with its outbox event, a join) is then as if it had never run. Typically its first statement met a
/// pooled connection a database restart had closed. Two more tries, a quarter and half a second apart; what still
/// fails goes to the exception handler, which answers 503 with Retry-After.
/// </summary>
internal sealed partial class TransientFailureRetry(RequestDelegate next, ILogger<TransientFailureRetry> logger)
{
    private const int Attempts = 3;

    private static readonly AsyncLocal<Work?> CurrentWork = new();

    /// <summary>The running request's database work, null outside a request (background jobs, consumers).</summary>
    internal static Work? Current => CurrentWork.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        // A body is kept to be read again; the services' bodies are at most a megabyte (ServiceApiExtensions).
        context.Request.EnableBuffering();
        var original = context.RequestServices;
        AsyncServiceScope? scope = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var work = new Work();
                CurrentWork.Value = work;
                try
                {
                    await next(context);
                    return;
                }
                catch (Exception exception) when (attempt < Attempts && Retryable(context, work, exception))
                {
                    LogRetry(logger, exception.GetType().Name, context.Request.Method, context.Request.Path, attempt);
                }
                finally
                {
                    CurrentWork.Value = null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), context.RequestAborted);
                context.Response.Clear();
                context.Request.Body.Position = 0;
                if (scope is { } used)
                {
                    await used.DisposeAsync();
                }

                // The failed try's DbContext still tracks what it added; the next try starts from nothing.
                scope = original.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
                context.RequestServices = scope.Value.ServiceProvider;
            }
        }
        finally
        {
            context.RequestServices = original;
            if (scope is { } last)
            {
                await last.DisposeAsync();
            }
        }
    }

    private static bool Retryable(HttpContext context, Work work, Exception exception) =>
        !context.Response.HasStarted
        && !context.RequestAborted.IsCancellationRequested
        && !work.Committed
        && context.Request.Body.CanSeek
        // EF Core already retried it (outside a transaction) for about two seconds: the database is away, not blinking.
        && !TransientFailures.Chain(exception).Any(e => e is RetryLimitExceededException)
        && TransientFailures.IsTransient(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient {ExceptionType} on {Method} {Path}; nothing was committed, running it again (try {Attempt})")]
    private static partial void LogRetry(ILogger logger, string exceptionType, string method, string path, int attempt);

    /// <summary>Registered by the services (AddServiceOpenApi): their requests are retried, the gateway's pages are not.</summary>
    internal sealed class Enabled;

    /// <summary>Whether a request's database work may have been committed (see <see cref="DatabaseWorkInterceptor"/>).</summary>
    internal sealed class Work
    {
        private volatile bool _committed;

        public bool Committed => _committed;

        public void MayHaveCommitted() => _committed = true;
    }
}
