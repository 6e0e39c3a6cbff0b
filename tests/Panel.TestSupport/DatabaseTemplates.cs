using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Panel.TestSupport;

/// <summary>
/// Migrated template databases, one per DbContext and version of its migrations, which test databases are copied
/// from (CREATE DATABASE … TEMPLATE) instead of every test host migrating an empty database.
/// </summary>
/// <remarks>
/// <para>
/// A template is named <c>panel_tmpl_CONTEXT_HASH</c>, HASH being that of the SQL script of all the context's
/// migrations: an added or changed migration (or EF Core version) makes a new template, and two checkouts or test
/// processes on one server share a template only when their migrations are the same.
/// </para>
/// <para>
/// It is built once, by the first test process that needs it, under a PostgreSQL advisory lock (other processes wait),
/// as <c>NAME_b</c> renamed to NAME once migrated and marked as a template that accepts no connections: no process
/// copies half a template, and nobody connects to one (PostgreSQL refuses to copy a database that has connections)
/// nor drops it without <c>ALTER DATABASE … IS_TEMPLATE false</c> first. test.sh drops templates older than a week
/// (tests/drop-old-templates.sql); a process that finds its template gone builds it again.
/// </para>
/// <para>It is built with the context's design-time factory, the one `dotnet ef` uses, so with the model the service has.</para>
/// </remarks>
public static class DatabaseTemplates
{
    public const string Prefix = "panel_tmpl_";

    private static readonly ConcurrentDictionary<Type, Lazy<Task<string>>> Ensured = new();

    /// <summary>
    /// The DbContext an assembly's <see cref="IDesignTimeDbContextFactory{TContext}"/> makes (as `dotnet ef` finds
    /// it), or null when it has none.
    /// </summary>
    public static Type? DesignTimeContextOf(Assembly assembly)
    {
        var contexts = Factories(assembly).Select(f => f.Context).Distinct().ToList();
        return contexts.Count switch
        {
            0 => null,
            1 => contexts[0],
            _ => throw new InvalidOperationException(
                $"{assembly.GetName().Name} has design-time factories of {string.Join(", ", contexts.Select(c => c.Name))}: say which context its test database is made for."),
        };
    }

    /// <summary>Creates <paramref name="database"/> as a copy of the migrated template of <paramref name="context"/>.</summary>
    internal static async Task CreateFromTemplateAsync(string admin, string database, Type context)
    {
        var template = await EnsureAsync(admin, context, rebuild: false);
        try
        {
            await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // Dropped since (test.sh drops old templates): build it again.
            template = await EnsureAsync(admin, context, rebuild: true);
            await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"");
        }
    }

    private static Task<string> EnsureAsync(string admin, Type context, bool rebuild)
    {
        var fresh = new Lazy<Task<string>>(() => BuildIfMissingAsync(admin, context));
        var known = Ensured.GetOrAdd(context, fresh);
        if (rebuild || known.Value.IsFaulted)
        {
            // A failure is not kept for the process's other tests; a missing template is looked for again.
            Ensured.TryUpdate(context, fresh, known);
            known = Ensured[context];
        }

        return known.Value;
    }

    private static async Task<string> BuildIfMissingAsync(string admin, Type contextType)
    {
        string name;
        await using (var design = CreateContext(contextType, "Host=localhost;Database=design_time"))
        {
            name = NameOf(contextType, design.GetService<IMigrator>().GenerateScript());
        }

        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        if (await IsTemplateAsync(connection, name))
        {
            return name;
        }

        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
        await using (var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 600 })
        {
            wait.Parameters.AddWithValue("key", key);
            await wait.ExecuteNonQueryAsync();
        }

        try
        {
            if (await IsTemplateAsync(connection, name))
            {
                return name;
            }

            var building = name + "_b";
            // Left by a process that died building it, or half dropped (no longer a template): nobody else builds
            // this template while this process holds the lock.
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            await ExecuteAsync(connection, $"CREATE DATABASE \"{building}\"");
            var created = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, $"COMMENT ON DATABASE \"{building}\" IS 'Panel test template of {contextType.Name}, created {created}'");
            var target = new NpgsqlConnectionStringBuilder(admin) { Database = building, Pooling = false }.ConnectionString;
            await using (var context = CreateContext(contextType, target))
            {
                await context.Database.MigrateAsync();
            }

            NpgsqlConnection.ClearPool(new NpgsqlConnection(target));
            await ExecuteAsync(connection, $"ALTER DATABASE \"{building}\" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
            await ExecuteAsync(connection, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
            return name;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", key);
            await release.ExecuteNonQueryAsync();
        }
    }

    private static string NameOf(Type context, string migrationScript)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migrationScript)))[..16];
        var label = context.Name.Replace("DbContext", "", StringComparison.Ordinal).ToLowerInvariant();
        return $"{Prefix}{label[..Math.Min(label.Length, 30)]}_{hash}";
    }

    private static async Task<bool> IsTemplateAsync(NpgsqlConnection connection, string name)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name AND datistemplate)", connection);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static DbContext CreateContext(Type contextType, string connectionString)
    {
        var factory = Factories(contextType.Assembly).FirstOrDefault(f => f.Context == contextType).Factory
            ?? throw new InvalidOperationException(
                $"{contextType.Assembly.GetName().Name} has no IDesignTimeDbContextFactory<{contextType.Name}>, which its test template is built with.");
        var create = typeof(IDesignTimeDbContextFactory<>).MakeGenericType(contextType).GetMethod(nameof(IDesignTimeDbContextFactory<DbContext>.CreateDbContext))!;
        var context = (DbContext)create.Invoke(Activator.CreateInstance(factory, nonPublic: true), [Array.Empty<string>()])!;
        context.Database.SetConnectionString(connectionString);
        return context;
    }

    private static IEnumerable<(Type Factory, Type Context)> Factories(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }

        return from type in types
               where type is { IsAbstract: false, IsInterface: false }
               from contract in type.GetInterfaces()
               where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>)
               select (type, contract.GetGenericArguments()[0]);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }
}
