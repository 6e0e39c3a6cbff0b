using System.Diagnostics;
using Panel.TestSupport;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// `--migrate` is what the deployment jobs run (deploy/k8s/migrate-job.yaml, the compose migrate
/// services): each process applies its migrations to an empty database and exits 0, given only
/// the settings the job gives it.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed class MigrateModeTests(PanelSystem system)
{
    public static TheoryData<string> Processes() => new(PanelSystem.Layout.Select(l => l.Name));

    [Theory]
    [MemberData(nameof(Processes))]
    public async Task Migrate_mode_applies_the_migrations_to_an_empty_database_and_exits(string name)
    {
        var layout = PanelSystem.Layout.Single(l => l.Name == name);
        await using var database = await TestDatabase.CreateAsync("migrate_" + name);
        var directory = Path.Combine(system.RepoRoot, layout.ProjectDirectory);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(directory, "bin", system.Configuration, "net10.0", layout.Assembly + ".dll"));
        info.ArgumentList.Add("--migrate");
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("GatewayToken__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment[$"ConnectionStrings__{layout.Database}"] = database.ConnectionString;
        if (name != ServiceNames.Gateway)
        {
            // The job gives the services the broker's address too; --migrate never connects to it.
            info.Environment["ConnectionStrings__eventbus"] = "amqp://nobody:nothing@127.0.0.1:1/";
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"{name} --migrate exited {process.ExitCode}:\n{await output}\n{await errors}");
        var applied = await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\"");
        Assert.True(applied > 0, $"{name} --migrate applied no migration");
    }
}
