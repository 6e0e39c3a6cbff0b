using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.ServiceDefaults;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// An assisted answer's profile takes only the county's values: the municipality from the county's list (the configuration
/// key Membership:Municipalities, as Membership's join form), age band, gender and language from their fixed sets. Anything
/// else is a 400 naming the field, and nothing is stored.
/// </summary>
public sealed class AssistedProfileValuesTests(AssistedProfileValuesTests.Host host) : IClassFixture<AssistedProfileValuesTests.Host>
{
    /// <summary>The county's list as the deployment configures it: its first entry replaced, so the list is seen to come from configuration.</summary>
    public sealed class Host : SurveysHost
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["Membership:Municipalities:0"] = "Testilä";
    }

    private static string Path(Guid survey) => $"/api/surveys/{survey}/assisted-responses";

    private static JsonObject Body(string? municipality, string ageBand = "75-84", string? gender = "woman", string language = "sv") => new()
    {
        ["channel"] = "paper",
        ["profile"] = new JsonObject { ["ageBand"] = ageBand, ["municipality"] = municipality, ["gender"] = gender, ["language"] = language, ["isClient"] = false },
        ["answers"] = Valid(),
    };

    [Theory]
    [InlineData("Testilä")] // from configuration
    [InlineData("Mänttä-Vilppula")]
    [InlineData("Tampere")]
    public async Task A_municipality_of_the_county_is_stored_with_the_answer(string municipality)
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");

        (await host.As(Staff.Coordinator()).PostJsonAsync(Path(survey), Body(municipality))).EnsureSuccessStatusCode();

        Assert.Equal(municipality, await host.Database.ScalarAsync<string>("SELECT profile->>'municipality' FROM pending_responses WHERE survey_id = @p0", survey));
    }

    public static TheoryData<string, string, string> BadProfiles() => new()
    {
        { "municipality", "Akaa", "replaced by configuration: no longer the county's" },
        { "municipality", "Helsinki", "not in the county" },
        { "municipality", "tampere", "not as the list writes it" },
        { "municipality", " Tampere", "with a space" },
        { "municipality", "Tampere, Hervanta", "more than the municipality" },
        { "municipality", "Tampere 131052-308T", "an identity code typed into the field" },
        { "municipality", "Matti Meikäläinen, puh 040 123 4567", "a name and a phone number" },
        { "municipality", "", "empty" },
        { "ageBand", "85 vuotta", "an age typed by hand" },
        { "ageBand", "131052-308T", "an identity code" },
        { "gender", "nainen", "the word, not the value" },
        { "language", "de", "not one of fi, sv, en" },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public async Task A_profile_value_outside_the_countys_values_is_a_400_naming_the_field_and_nothing_is_stored(string field, string value, string why)
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var body = Body("Tampere");
        body["profile"]![field] = value;

        var response = await host.As(Staff.Coordinator()).PostJsonAsync(Path(survey), body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal([$"profile.{field}"], Samples.Keys(await Samples.ErrorsAsync(response)));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Theory]
    [InlineData("Tampere 131052-308T", "131052-308T")]
    [InlineData("Matti Meikäläinen, puh 040 123 4567", "040 123 4567")]
    public async Task Personal_data_typed_into_the_municipality_is_refused_and_is_nowhere_in_the_database(string municipality, string personal)
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");

        var response = await host.As(Staff.Contact()).PostJsonAsync(Path(survey), Body(municipality));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(personal, await host.Database.DumpTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Meikäläinen", await host.Database.DumpTextAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isClient", "\"yes\"")]
    [InlineData("municipality", "[\"Tampere\"]")]
    [InlineData("ageBand", "85")]
    public async Task A_profile_value_of_the_wrong_type_is_a_400_naming_the_field_and_nothing_is_stored(string field, string json)
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var body = Body("Tampere");
        body["profile"]![field] = JsonNode.Parse(json);

        var errors = await Samples.ErrorsAsync(await host.As(Staff.Coordinator()).PostJsonAsync(Path(survey), body));

        Assert.Equal([$"profile.{field}"], Samples.Keys(errors));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task A_missing_municipality_in_a_given_profile_is_a_400_naming_it()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");

        var errors = await Samples.ErrorsAsync(await host.As(Staff.Coordinator()).PostJsonAsync(Path(survey), Body(null)));

        Assert.Equal(["profile.municipality"], Samples.Keys(errors));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task Staff_who_enter_answers_get_the_values_each_profile_field_accepts()
    {
        var values = await (await host.As(Staff.Contact()).GetAsync("/api/surveys/assisted-profile-values")).BodyAsync(HttpStatusCode.OK);

        var municipalities = values.GetProperty("municipalities").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(23, municipalities.Count);
        Assert.Equal("Testilä", municipalities[0]);
        Assert.Contains("Pälkäne", municipalities);
        Assert.DoesNotContain("Akaa", municipalities);
        Assert.Equal(["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"], Strings(values, "ageBands"));
        Assert.Equal(["woman", "man", "other", "unspecified"], Strings(values, "genders"));
        Assert.Equal(["fi", "sv", "en"], Strings(values, "languages"));
    }

    [Fact]
    public async Task Only_staff_who_enter_answers_get_the_profile_values()
    {
        async Task<HttpStatusCode> As(HttpClient client) => (await client.GetAsync("/api/surveys/assisted-profile-values")).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await As(host.As(Staff.Coordinator())));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.As(Staff.Author())));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.As(Staff.ReportReader())));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.Public()));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.Client(Panel.TestSupport.TestTokens.Resident(ServiceNames.Surveys, Guid.NewGuid()))));
        Assert.Equal(HttpStatusCode.Unauthorized, await As(host.Client(null)));
    }

    [Fact]
    public void Surveys_default_list_of_municipalities_is_Membership_s()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Panel.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        string[] List(string service) => [.. JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(root.FullName, "services", service, $"Panel.{service}", "appsettings.json")))
            .RootElement.GetProperty("Membership").GetProperty("Municipalities").EnumerateArray().Select(m => m.GetString()!)];

        Assert.Equal(List("Membership"), List("Surveys"));
    }

    private static List<string?> Strings(JsonElement values, string name) => values.GetProperty(name).EnumerateArray().Select(v => v.GetString()).ToList();
}
