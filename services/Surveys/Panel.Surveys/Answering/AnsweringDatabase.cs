using Npgsql;

namespace Panel.Surveys.Answering;

/// <summary>
/// The connections invitation submits read and store through (<see cref="InvitationAnswers"/>): a data source of
/// Surveys' database of its own, whose statements are prepared automatically (parsed and planned once per
/// connection), apart from EF's pool that the rest of Surveys uses. Only single statements go through it (no
/// transactions): a group of answers is stored with one statement, committed on its own.
/// (Npgsql's multiplexing was measured here too; with the statements grouped it no longer helped, so it is not used.)
/// </summary>
public sealed class AnsweringDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    // Not Aspire.Npgsql's AddNpgsqlDataSource: that registers the one NpgsqlDataSource of the process, and this is a second one.
    public static AnsweringDatabase Create(string connectionString) => new(NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 16, AutoPrepareMinUsages = 2 }.ConnectionString));

    public NpgsqlCommand CreateCommand(string sql) => dataSource.CreateCommand(sql);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
