using Npgsql;

namespace Panel.Surveys.Answering;

/// <summary>
/// The connections an invitation answer is read and stored through: a multiplexing data source of Surveys'
/// database, so that the statements of concurrent answers share a few connections and reach PostgreSQL together
/// in one write (and their results come back together), instead of a round trip and a pooled connection each;
/// the statements are prepared automatically (parsed and planned once per connection). Only single statements
/// go through it (no transactions): the answer's store is one statement, committed on its own.
/// Multiplexing is an experimental Npgsql feature that Npgsql 11 removes: upgrading to it means dropping
/// <c>Multiplexing</c> here (the pool and its automatic preparation stay; measured without it: ratio 0.33, see README).
/// </summary>
public sealed class AnsweringDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public static AnsweringDatabase Create(string connectionString) => new(NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { Multiplexing = true, MaxAutoPrepare = 16, AutoPrepareMinUsages = 2 }.ConnectionString));

    public NpgsqlCommand CreateCommand(string sql) => dataSource.CreateCommand(sql);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
