using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// The profiles stored with answers attacked as a database administrator would (issue 13, finding 4): group the
/// stored answers and the retained ResponsesSubmitted events by profile, and look an answered member's profile up
/// among them. Every combination must be shared by at least k answers, and no answered invitation (nor any of a
/// closed survey) may keep the profile that would make the match.
/// </summary>
public sealed class ProfileAnonymityTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private const int K = 5; // the sample survey's minimum group size (the default)

    private static readonly string[] AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Pirkkala", "Urjala"];

    /// <summary>Diverse on purpose: most of the 52 profiles are unique, as finding 4 found them (46 of 48).</summary>
    private static List<ProfileSnapshot> Diverse(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new ProfileSnapshot(
            AgeBands[random.Next(AgeBands.Length)],
            Municipalities[i < count / 2 ? 0 : random.Next(Municipalities.Length)],
            random.Next(3) switch { 0 => "woman", 1 => "man", _ => null },
            random.Next(5) == 0 ? "sv" : "fi",
            random.Next(3) switch { 0 => true, 1 => false, _ => null })).ToList();
    }

    private async Task<List<string>> InviteAsync(Guid survey, IReadOnlyList<ProfileSnapshot> profiles)
    {
        var tokens = profiles.Select(_ => NewToken()).ToList();
        await host.Services.GetRequiredService<IBus>().Publish(new SurveyInvitationsIssued(survey,
            [.. tokens.Zip(profiles, (t, p) => new IssuedInvitation(Hash(t), p, "fi"))]));
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0", survey),
            n => n == tokens.Count, TimeSpan.FromSeconds(30), "the invitations to be stored");
        return tokens;
    }

    /// <summary>Counts of answers per exact stored profile (jsonb equality), as an administrator's GROUP BY finds them.</summary>
    private async Task<List<int>> StoredClassesAsync(Guid survey) =>
        JsonSerializer.Deserialize<List<int>>(await host.Database.ScalarAsync<string>("""
            SELECT coalesce(json_agg(n), '[]')::text FROM (
                SELECT count(*) AS n FROM survey_responses WHERE survey_id = @p0 AND profile IS NOT NULL GROUP BY profile) c
            """, survey))!;

    private static bool Matches(ProfileSnapshot member, JsonElement stored)
    {
        bool Same(string name, string? value) =>
            stored.GetProperty(name) is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } v ? v == value : true;
        var age = stored.GetProperty("ageBand").GetString();
        var ageMatches = string.IsNullOrEmpty(age) || age == member.AgeBand || age == Panel.Privacy.ProfileAnonymizer.MergedAgeBand(member.AgeBand, AgeBands);
        var client = stored.GetProperty("isClient");
        return ageMatches && Same("municipality", member.Municipality) && Same("gender", member.Gender) && Same("language", member.Language)
               && (client.ValueKind is not (JsonValueKind.True or JsonValueKind.False) || client.GetBoolean() == member.IsClient);
    }

    [Fact]
    public async Task After_mixing_every_stored_and_sent_profile_is_shared_by_k_and_an_answered_member_matches_k_answers()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var profiles = Diverse(52, seed: 13);
        Assert.True(profiles.GroupBy(p => p).Count(g => g.Count() == 1) > 30, "the panel must be diverse for the attack to mean anything");
        var tokens = await InviteAsync(survey, profiles);

        // Answered and mixed in uneven batches (the last one smaller than k), so later batches meet stored classes.
        var batches = new[] { 12, 9, 17, 7, 3 }; // 48 of the 52 answer
        var answered = 0;
        foreach (var size in batches)
        {
            foreach (var token in tokens.Skip(answered).Take(size))
            {
                (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
            }

            answered += size;
            Assert.Equal(0, await host.Database.ScalarAsync<long>(
                "SELECT count(*) FROM invitations WHERE survey_id = @p0 AND answered AND profile IS NOT NULL", survey));
            await host.MixAsync();
            Assert.All(await StoredClassesAsync(survey), n => Assert.True(n >= K, $"a stored profile is shared by only {n}"));
        }

        // While open, the mixer keeps k answers waiting (the release rule); unanswered invitations keep their profile.
        Assert.True(await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND profile IS NOT NULL", survey) > 0);
        await host.CloseAndMixAsync(survey);
        Assert.All(await StoredClassesAsync(survey), n => Assert.True(n >= K, $"a stored profile is shared by only {n}"));
        Assert.Equal(answered, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", survey));

        // The retained events: the profile of every answer set ever sent (a stored answer recoded later keeps its
        // sent profile there, so these are checked on their own).
        var sent = (await host.ResponsesAsync(survey)).ConvertAll(r => r.GetProperty("profile"));
        Assert.Equal(answered, sent.Count);
        Assert.All(sent.GroupBy(p => p.GetRawText()), g => Assert.True(g.Count() >= K, $"{g.Key} was sent {g.Count()} times"));

        // An answered member's profile, looked up among the stored answers, leaves at least k candidates.
        var stored = JsonSerializer.Deserialize<List<JsonElement>>(await host.Database.ScalarAsync<string>(
            "SELECT json_agg(profile)::text FROM survey_responses WHERE survey_id = @p0", survey))!;
        foreach (var member in profiles.Take(answered))
        {
            var candidates = stored.Count(s => Matches(member, s));
            Assert.True(candidates >= K, $"{member} matches {candidates} stored answers");
        }

        // Not everything was thrown away: some stored answers still say something about who answered.
        Assert.Contains(stored, s => s.GetProperty("municipality").GetString() is { Length: > 0 });

        // Closing took the profile of every invitation, answered or not.
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND profile IS NOT NULL", survey));
    }

    [Fact]
    public async Task An_answer_alone_is_stored_with_no_stated_profile_value()
    {
        var (survey, token) = await host.InvitedAsync();
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        await host.CloseAndMixAsync(survey);

        var profile = await host.Database.ScalarAsync<string>("SELECT profile::text FROM survey_responses WHERE survey_id = @p0", survey);
        Assert.Equal(new ProfileSnapshot("", "", null, "", null),
            JsonSerializer.Deserialize<ProfileSnapshot>(profile, JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task Invitations_stored_after_their_survey_closed_come_without_a_profile()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        (await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{survey}/close", null)).EnsureSuccessStatusCode();

        await InviteAsync(survey, Diverse(3, seed: 1));

        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND profile IS NOT NULL", survey));
    }
}
