using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Responses;

namespace Panel.Surveys.Tests;

/// <summary>The minimal answer store the answering part builds on: anonymous, coarse in time, versioned.</summary>
public sealed class ResponseStoreTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task An_answer_set_is_stored_with_its_version_day_and_coarse_profile_and_reads_back()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "open");
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        Assert.False(await Answers.ExistAsync(db, id, CancellationToken.None));

        db.Responses.Add(new SurveyResponse
        {
            Id = Guid.NewGuid(),
            SurveyId = id,
            DefinitionVersion = 1,
            SubmittedOn = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime),
            Profile = new ProfileSnapshot("65-74", "Tampere", null, "sv", true),
            Channel = ResponseChannels.Invitation,
            Answers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"used":"yes","nps":9,"aspects":{"r1":"ok"}}""")!,
        });
        db.Responses.Add(new SurveyResponse
        {
            Id = Guid.NewGuid(),
            SurveyId = id,
            DefinitionVersion = 1,
            SubmittedOn = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime),
            Channel = ResponseChannels.OpenLink,
            Answers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"used":"no"}""")!,
        });
        await db.SaveChangesAsync();

        await using var read = host.Services.CreateAsyncScope();
        var stored = await read.ServiceProvider.GetRequiredService<SurveysDbContext>().Responses.AsNoTracking()
            .Where(r => r.SurveyId == id).ToListAsync();
        var withProfile = stored.Single(r => r.Profile is not null);
        Assert.Equal("65-74", withProfile.Profile!.AgeBand);
        Assert.Equal(9, withProfile.Answers["nps"].GetInt32());
        Assert.Equal("ok", withProfile.Answers["aspects"].GetProperty("r1").GetString());
        Assert.Null(stored.Single(r => r.Profile is null).Profile);
        Assert.True(await Answers.ExistAsync(db, id, CancellationToken.None));
        Assert.True((await host.As(Staff.Coordinator()).GetSurveyAsync(id)).GetProperty("hasAnswers").GetBoolean());
    }

    [Fact]
    public async Task The_answer_table_has_no_member_or_invitation_link_and_no_moment_of_submission()
    {
        var columns = (await host.Database.ScalarAsync<string>(
            "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'survey_responses'"))
            .Split(',');

        Assert.Contains("submitted_on:date", columns);
        Assert.Contains("definition_version:integer", columns);
        Assert.DoesNotContain(columns, c => c.Contains("timestamp", StringComparison.Ordinal));
        Assert.DoesNotContain(columns, c => new[] { "panelist", "member", "invitation", "email", "token" }.Any(w => c.Contains(w, StringComparison.Ordinal)));
    }
}
