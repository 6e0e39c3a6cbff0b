using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Panel.Membership.Data;
using Panel.TestSupport;
using Xunit.Abstractions;

namespace Panel.Membership.Tests;

/// <summary>
/// The tests' databases are copies of a template migrated once (Panel.TestSupport.DatabaseTemplates): a copy must hold
/// every migration, so that the service's own migration at start has nothing left to do.
/// </summary>
public sealed class TestDatabaseTemplateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_database_copied_from_the_template_has_every_migration_applied_and_migrating_it_again_does_nothing()
    {
        await using var database = await TestDatabase.CreateAsync<MembershipDbContext>("template_check");
        await using var db = new MembershipDbContext(new DbContextOptionsBuilder<MembershipDbContext>()
            .UseNpgsql(database.ConnectionString).UseSnakeCaseNamingConvention().Options);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());

        var tables = await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
        var watch = Stopwatch.StartNew();
        await db.Database.MigrateAsync();
        output.WriteLine($"MigrateAsync on the copy took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(tables, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
        Assert.Equal((long)db.Database.GetMigrations().Count(), await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }
}
