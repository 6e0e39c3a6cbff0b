using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Panel.ServiceDefaults;

/// <summary>
/// Npgsql's retrying execution strategy, bounded to about two seconds, that also lets code open its own
/// transactions: a query or SaveChanges outside one is retried after a transient failure (a pooled connection a
/// database restart closed, a refused connection); inside one it runs once, since its transaction is gone with the
/// connection. Those units are retried whole, when nothing of them may have been committed, by
/// <see cref="TransientFailureRetry"/>; what still fails is answered 503.
/// </summary>
public sealed class PanelExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries, MaxDelay, ["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"])
{
    public const int MaxRetries = 3;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private readonly ExecutionStrategyDependencies _dependencies = dependencies;

    private bool InUserTransaction => _dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;

    protected override void OnFirstExecution()
    {
        if (InUserTransaction)
        {
            // Runs once (ShouldRetryOn says no) instead of refusing the transaction the code opened.
            ExceptionsEncountered.Clear();
            return;
        }

        base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception? exception) => !InUserTransaction && base.ShouldRetryOn(exception);
}

/// <summary>
/// Notes, for <see cref="TransientFailureRetry"/>, whether a request's database work may have been committed (a
/// commit, or a write outside a transaction, that succeeded or failed without a sign it never ran), and empties the
/// connection pool after a transient failure: after a database restart every idle connection in it is closed.
/// </summary>
internal sealed class DatabaseWorkInterceptor : IDbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public static readonly DatabaseWorkInterceptor Instance = new();

    private static void Committed() => TransientFailureRetry.Current?.MayHaveCommitted();

    private static void Failed(DbConnection? connection, Exception exception, bool wasCommit)
    {
        if (connection is NpgsqlConnection npgsql && TransientFailures.IsTransient(exception))
        {
            NpgsqlConnection.ClearPool(npgsql);
        }

        if (wasCommit && !TransientFailures.NotRun(exception))
        {
            Committed();
        }
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) => result;

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        NoteWrite(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NoteWrite(command);
        return ValueTask.FromResult(result);
    }

    private static void NoteWrite(DbCommand command)
    {
        if (command.Transaction is null)
        {
            Committed();
        }
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        Failed(command.Connection, eventData.Exception, command.Transaction is null && eventData.ExecuteMethod == DbCommandMethod.ExecuteNonQuery);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Failed(connection, eventData.Exception, wasCommit: false);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ConnectionFailed(connection, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed();
        return Task.CompletedTask;
    }

    // Not transaction.Connection: a transaction its broken connection ended throws ObjectDisposedException there.
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) =>
        Failed(eventData.Context?.Database.GetDbConnection(), eventData.Exception, wasCommit: eventData.Action == "Commit");

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NoteSaved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NoteSaved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // SaveChanges outside the code's own transaction commits on its own (inside one, the commit is noted above).
    private static void NoteSaved(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Committed();
        }
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context?.Database.CurrentTransaction is null && !TransientFailures.NotRun(eventData.Exception))
        {
            Committed();
        }
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }
}
