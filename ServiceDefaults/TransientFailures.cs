using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Panel.ServiceDefaults;

/// <summary>
/// Which failures are the database's or the broker's passing absence (a restart, a dropped connection, a full pool)
/// rather than a fault of the request or of the code: those are retried where that is safe, and otherwise answered
/// 503 with Retry-After, never 500.
/// </summary>
public static class TransientFailures
{
    /// <summary>How long a caller is told to wait before trying again (a database restart takes well under this).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    // The server ended the session before the command (restart, pg_terminate_backend, shutdown) or refuses sessions
    // for now; the command was not run.
    private static readonly HashSet<string> NotRunStates = ["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006"];

    /// <summary>True when <paramref name="exception"/> or one it wraps is a transient database or broker failure.</summary>
    public static bool IsTransient(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case PostgresException postgres when postgres.IsTransient || NotRunStates.Contains(postgres.SqlState):
                case NpgsqlException { IsTransient: true }:
                case TimeoutException:
                case SocketException:
                    return true;
            }

            // The broker's client is not a dependency here: its failures are known by their namespace.
            if (e.GetType().Namespace is { } ns && ns.StartsWith("RabbitMQ.Client.Exceptions", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the failure says the statement never reached a live session (the session had ended or could not
    /// be opened), so nothing it would have written was committed.
    /// </summary>
    public static bool NotRun(Exception exception) =>
        Chain(exception).Any(e => e is PostgresException p ? NotRunStates.Contains(p.SqlState) : e is SocketException { SocketErrorCode: SocketError.ConnectionRefused });

    /// <summary>The exception and all it wraps (aggregates included), outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    /// <summary>The 503 answer: problem details and Retry-After, so a client knows to send the same request again shortly.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails Unavailable(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is briefly unavailable.",
            Detail = "A database or message broker it needs did not answer in time. Send the request again after the seconds in Retry-After.",
        };
    }
}
