using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Panel.Reporting.Data;
using Panel.TestSupport;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>A database with results in the old full-cell cube keeps them when migrated to the per-attribute rollups.</summary>
public sealed class ResultsRollupMigrationTests
{
    private const string BeforeRollups = "20261123124949_SurveyResults";

    private static ReportingDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<ReportingDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);

    [Fact]
    public async Task Migrating_fills_every_attributes_rollup_from_the_full_cell_cube_and_drops_the_cube()
    {
        await using var database = await TestDatabase.CreateAsync("rollup_migration");
        await using (var db = Context(database.ConnectionString))
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeRollups);
        }

        Guid survey = Guid.NewGuid(), other = Guid.NewGuid();
        // (survey, question, item, value, age band, municipality, gender, language, client, channel, respondents, total)
        var cells = new (Guid, string, string, string, string, string, string, string, string, string, long, decimal)[]
        {
            (survey, "#", "", "", "35-44", "Akaa", "woman", "fi", "true", "invitation", 4, 0),
            (survey, "#", "", "", "35-44", "Urjala", "", "fi", "false", "paper", 3, 0),
            (survey, "#", "", "", "65-74", "Akaa", "man", "sv", "", "invitation", 2, 0),
            (survey, "#", "", "", "", "", "", "", "", "open-link", 5, 0),
            (survey, "budget", "p1", "", "35-44", "Akaa", "woman", "fi", "true", "invitation", 4, 17.5m),
            (survey, "budget", "p1", "", "65-74", "Akaa", "man", "sv", "", "invitation", 2, 6),
            (survey, "budget", "p1", "", "", "", "", "", "", "open-link", 5, 20),
            (other, "#", "", "", "35-44", "Akaa", "woman", "fi", "true", "invitation", 9, 0),
        };
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var c in cells)
            {
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO survey_answer_counts (survey_id, question_id, item, value, age_band, municipality, gender, language, is_client, channel, respondents, total)
                    VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)
                    """, connection);
                object[] values = [c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6, c.Item7, c.Item8, c.Item9, c.Item10, c.Item11, c.Item12];
                for (var i = 0; i < values.Length; i++) insert.Parameters.AddWithValue($"p{i}", values[i]);
                await insert.ExecuteNonQueryAsync();
            }
        }

        await using (var db = Context(database.ConnectionString))
        {
            await db.Database.MigrateAsync();
        }

        Task<long> N(Guid s, string attribute, string audience, string value, string question = "#") => database.ScalarAsync<long>(
            "SELECT coalesce(sum(respondents), 0)::bigint FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = @p1 AND audience = @p2 AND attribute_value = @p3 AND question_id = @p4",
            s, attribute, audience, value, question);
        Task<decimal> Total(string attribute, string audience, string value) => database.ScalarAsync<decimal>(
            "SELECT coalesce(sum(total), 0) FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = @p1 AND audience = @p2 AND attribute_value = @p3 AND question_id = 'budget' AND item = 'p1'",
            survey, attribute, audience, value);

        Assert.Equal(2, await N(survey, "ageBand", "panel", "65-74"));
        Assert.Equal(7, await N(survey, "ageBand", "panel", "35-44"));
        Assert.Equal(6, await N(survey, "municipality", "panel", "Akaa"));
        Assert.Equal(3, await N(survey, "municipality", "panel", "Urjala"));
        Assert.Equal(3, await N(survey, "gender", "panel", ""));
        Assert.Equal(5, await N(survey, "gender", "open-link", ""));
        Assert.Equal(2, await N(survey, "language", "panel", "sv"));
        Assert.Equal(2, await N(survey, "isClient", "panel", ""));
        Assert.Equal(6, await N(survey, "channel", "panel", "invitation"));
        Assert.Equal(3, await N(survey, "channel", "panel", "paper"));
        Assert.Equal(5, await N(survey, "channel", "open-link", "open-link"));
        Assert.Equal(9, await N(other, "channel", "panel", "invitation"));
        Assert.Equal(23.5m, await Total("municipality", "panel", "Akaa"));
        Assert.Equal(17.5m, await Total("gender", "panel", "woman"));
        Assert.Equal(20m, await Total("channel", "open-link", "open-link"));
        // Every answer set once under each attribute: 9 panel and 5 open-link ones, in 4 cells of the old cube.
        foreach (var attribute in new[] { "ageBand", "municipality", "gender", "language", "isClient", "channel" })
        {
            Assert.Equal(9, await database.ScalarAsync<long>(
                "SELECT sum(respondents)::bigint FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = @p1 AND audience = 'panel' AND question_id = '#'",
                survey, attribute));
            Assert.Equal(5, await database.ScalarAsync<long>(
                "SELECT sum(respondents)::bigint FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = @p1 AND audience = 'open-link' AND question_id = '#'",
                survey, attribute));
        }

        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'survey_answer_counts'"));
    }
}
