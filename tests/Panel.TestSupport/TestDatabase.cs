using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Panel.TestSupport;

/// <summary>A fresh PostgreSQL database for one test class, empty or migrated, dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private TestDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        // The test's own reads have a pool of their own: emptying it after TerminateConnectionsAsync leaves the
        // service's pool (with the connections just closed) as it is.
        _reads = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = "panel-test-reads" }.ConnectionString;
    }

    private readonly string _reads;

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>An empty database (for tests of migrations themselves, or of a schema a test makes).</summary>
    public static Task<TestDatabase> CreateAsync(string purpose) => CreateAsync(purpose, migratedFor: null);

    /// <summary>A database with every migration of <typeparamref name="TContext"/> applied, as the service would migrate it.</summary>
    public static Task<TestDatabase> CreateAsync<TContext>(string purpose) where TContext : DbContext =>
        CreateAsync(purpose, typeof(TContext));

    /// <summary>
    /// A database with every migration of <paramref name="migratedFor"/> applied, copied from its template (see
    /// <see cref="DatabaseTemplates"/>); empty when it is null.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(string purpose, Type? migratedFor)
    {
        var servers = await TestServers.GetAsync();
        var name = $"t_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        name = name[..Math.Min(name.Length, 63)];
        if (migratedFor is not null)
        {
            await DatabaseTemplates.CreateFromTemplateAsync(servers.PostgresConnectionString, name, migratedFor);
            return new TestDatabase(servers.PostgresConnectionString, name);
        }

        await using var connection = new NpgsqlConnection(servers.PostgresConnectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(servers.PostgresConnectionString, name);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(_reads);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every value of every text-like column in every table, for privacy assertions.</summary>
    public async Task<string> DumpTextAsync()
    {
        await using var connection = new NpgsqlConnection(_reads);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{table}\"", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(table).Append('.').Append(reader.GetName(i)).Append('=')
                        .Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return dump.ToString();
    }

    /// <summary>
    /// Ends every session on this database, as a database restart does, and returns how many it ended: the
    /// connections a service keeps in its pool are then closed, which it finds out only when it next uses them.
    /// </summary>
    public async Task<long> TerminateConnectionsAsync()
    {
        long ended;
        await using (var connection = new NpgsqlConnection(_admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @p0 AND pid <> pg_backend_pid()", connection);
            command.Parameters.AddWithValue("p0", Name);
            ended = (long)(await command.ExecuteScalarAsync())!;
        }

        await using (var reads = new NpgsqlConnection(_reads))
        {
            NpgsqlConnection.ClearPool(reads);
        }

        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
