using Panel.Privacy;
using Xunit.Abstractions;

namespace Panel.Privacy.Tests;

public sealed class ProfileAnonymizerTests(ITestOutputHelper output)
{
    private static readonly string[] AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Pirkkala", "Orivesi", "Urjala", "Juupajoki"];
    private static readonly Dictionary<ProfileTuple, int> Nothing = [];

    private static ProfileTuple P(string age, string municipality, string? gender = "woman", string language = "fi", string? client = "false") =>
        new(age, municipality, gender, language, client);

    /// <summary>Counts per stored tuple after the recoding is applied: what a database administrator would group by.</summary>
    private static Dictionary<ProfileTuple, int> After(IReadOnlyDictionary<ProfileTuple, int> stored, ProfileRecoding r)
    {
        var counts = new Dictionary<ProfileTuple, int>(stored);
        foreach (var (from, to, n) in r.Stored)
        {
            counts[from] -= n;
            counts[to] = counts.GetValueOrDefault(to) + n;
        }

        foreach (var t in r.Batch.OfType<ProfileTuple>())
        {
            counts[t] = counts.GetValueOrDefault(t) + 1;
        }

        return counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value);
    }

    private static void AssertKAnonymous(IReadOnlyDictionary<ProfileTuple, int> counts, int k) =>
        Assert.All(counts, c => Assert.True(c.Value >= k, $"{c.Key} occurs {c.Value} times"));

    /// <summary>A recoded profile only ever loses detail: each value is the original, its merged age band, or not stated.</summary>
    private static void AssertGeneralises(ProfileTuple original, ProfileTuple recoded)
    {
        Assert.True(recoded.AgeBand is null || recoded.AgeBand == original.AgeBand
            || recoded.AgeBand == ProfileAnonymizer.MergedAgeBand(original.AgeBand!, AgeBands));
        for (var a = 1; a < ProfileTuple.Attributes; a++)
        {
            Assert.True(recoded[a] is null || recoded[a] == original[a], $"attribute {a}: {original[a]} became {recoded[a]}");
        }
    }

    [Fact]
    public void A_batch_of_k_identical_profiles_is_stored_unchanged()
    {
        var batch = Enumerable.Repeat<ProfileTuple?>(P("25-34", "Nokia"), 5).ToList();

        var r = ProfileAnonymizer.Recode(Nothing, batch, 5, AgeBands);

        Assert.Equal(batch, r.Batch);
        Assert.Equal(0, r.SuppressedValues);
        Assert.Empty(r.Stored);
    }

    [Fact]
    public void Profiles_that_differ_only_in_the_least_useful_attribute_lose_only_that_one()
    {
        ProfileTuple?[] batch = [P("25-34", "Nokia", language: "fi"), P("25-34", "Nokia", language: "sv"),
            P("25-34", "Nokia"), P("25-34", "Nokia"), P("25-34", "Nokia")];

        var r = ProfileAnonymizer.Recode(Nothing, batch, 5, AgeBands);

        Assert.All(r.Batch, t => Assert.Equal(new ProfileTuple("25-34", "Nokia", "woman", null, "false"), t));
        Assert.Equal(5, r.SuppressedValues);
    }

    [Fact]
    public void Neighbouring_age_bands_are_merged_before_anything_is_suppressed()
    {
        ProfileTuple?[] batch = [P("15-24", "Nokia"), P("25-34", "Nokia"), P("15-24", "Nokia"), P("25-34", "Nokia"), P("25-34", "Nokia")];

        var r = ProfileAnonymizer.Recode(Nothing, batch, 5, AgeBands);

        Assert.All(r.Batch, t => Assert.Equal(P("15-34", "Nokia"), t));
        Assert.Equal(0, r.SuppressedValues);
        Assert.Equal(5, r.MergedAgeBands);
    }

    [Theory]
    [InlineData("15-24", "15-34")]
    [InlineData("34-44", "34-44")] // not a band of the list: merged already, or unknown
    [InlineData("45-54", "35-54")]
    [InlineData("85+", "75+")]
    [InlineData("75-84", "75+")]
    public void Age_bands_merge_with_their_neighbour(string band, string merged) =>
        Assert.Equal(merged, ProfileAnonymizer.MergedAgeBand(band, AgeBands));

    [Fact]
    public void A_rare_profile_joins_a_stored_class_it_generalises_to_and_leaves_it_whole()
    {
        var stored = new Dictionary<ProfileTuple, int> { [new ProfileTuple("25-34", "Nokia", "woman", null, "false")] = 5 };
        ProfileTuple?[] batch = [P("25-34", "Nokia", language: "sv")];

        var r = ProfileAnonymizer.Recode(stored, batch, 5, AgeBands);

        Assert.Equal(new ProfileTuple("25-34", "Nokia", "woman", null, "false"), r.Batch[0]);
        Assert.Empty(r.Stored);
        Assert.True(r.Satisfied);
    }

    [Fact]
    public void A_batch_smaller_than_k_with_nothing_to_join_takes_spare_stored_answers_into_the_not_stated_class()
    {
        var stored = new Dictionary<ProfileTuple, int> { [P("25-34", "Nokia")] = 9 };
        ProfileTuple?[] batch = [P("85+", "Urjala", "man", "sv", "true")];

        var r = ProfileAnonymizer.Recode(stored, batch, 5, AgeBands);

        Assert.Equal(ProfileTuple.NotStated, r.Batch[0]);
        Assert.Equal([new StoredRecoding(P("25-34", "Nokia"), ProfileTuple.NotStated, 4)], r.Stored);
        AssertKAnonymous(After(stored, r), 5);
        Assert.True(r.Satisfied);
    }

    [Fact]
    public void A_stored_class_that_would_keep_fewer_than_k_is_recoded_whole()
    {
        var stored = new Dictionary<ProfileTuple, int> { [P("25-34", "Nokia")] = 7 };
        ProfileTuple?[] batch = [P("85+", "Urjala", "man", "sv", "true")];

        var r = ProfileAnonymizer.Recode(stored, batch, 5, AgeBands);

        Assert.Equal([new StoredRecoding(P("25-34", "Nokia"), ProfileTuple.NotStated, 7)], r.Stored);
        Assert.Equal(new Dictionary<ProfileTuple, int> { [ProfileTuple.NotStated] = 8 }, After(stored, r));
    }

    [Fact]
    public void Stored_classes_below_k_are_recoded_with_the_batch()
    {
        var stored = new Dictionary<ProfileTuple, int> { [P("65-74", "Orivesi")] = 1, [P("25-34", "Nokia")] = 6 };
        var batch = Enumerable.Range(0, 4).Select(_ => (ProfileTuple?)P("65-74", "Orivesi", "man")).ToList();

        var r = ProfileAnonymizer.Recode(stored, batch, 5, AgeBands);

        AssertKAnonymous(After(stored, r), 5);
        Assert.Contains(r.Stored, s => s.From == P("65-74", "Orivesi"));
        Assert.All(r.Batch, t => Assert.Equal(new ProfileTuple("65-74", "Orivesi", null, "fi", "false"), t));
    }

    [Fact]
    public void Answers_without_a_profile_stay_without_one()
    {
        ProfileTuple?[] batch = [null, P("25-34", "Nokia"), null];

        var r = ProfileAnonymizer.Recode(Nothing, batch, 3, AgeBands);

        Assert.Null(r.Batch[0]);
        Assert.Null(r.Batch[2]);
        Assert.False(r.Satisfied); // one answer with a profile can never be among three
    }

    [Fact]
    public void Generated_panels_stay_k_anonymous_batch_after_batch_and_the_loss_is_printed()
    {
        var random = new Random(20261207);
        int answers = 0, suppressed = 0, merged = 0, storedRecoded = 0, uniqueBefore = 0, suppressedAtOnce = 0, surveys = 200;
        foreach (var k in new[] { 3, 5, 10 })
        {
            for (var s = 0; s < surveys; s++)
            {
                var stored = new Dictionary<ProfileTuple, int>();
                var originals = new Dictionary<ProfileTuple, int>();
                var size = random.Next(20, 400);
                while (size > 0)
                {
                    var n = Math.Min(size, k + random.Next(0, 3 * k));
                    size -= n;
                    var batch = Enumerable.Range(0, n).Select(_ => (ProfileTuple?)Generated(random)).ToList();
                    foreach (var t in batch)
                    {
                        originals[t!.Value] = originals.GetValueOrDefault(t.Value) + 1;
                    }

                    var r = ProfileAnonymizer.Recode(stored, batch, k, AgeBands);

                    for (var i = 0; i < batch.Count; i++)
                    {
                        AssertGeneralises(batch[i]!.Value, r.Batch[i]!.Value);
                    }

                    stored = After(stored, r);
                    Assert.True(r.Satisfied);
                    if (n >= k)
                    {
                        Assert.Empty(r.Stored); // a release of k or more never changes what was sent before
                    }

                    AssertKAnonymous(stored, k);
                    answers += n;
                    suppressed += r.SuppressedValues;
                    merged += r.MergedAgeBands;
                    storedRecoded += r.Stored.Sum(x => x.Count);
                }

                uniqueBefore += originals.Count(c => c.Value == 1);
                // The same answers recoded in one go, as if the survey had closed before any was released: the floor
                // that releasing in batches of k and more is measured against.
                var atOnce = ProfileAnonymizer.Recode(Nothing, originals.SelectMany(c => Enumerable.Repeat((ProfileTuple?)c.Key, c.Value)).ToList(), k, AgeBands);
                AssertKAnonymous(After(Nothing, atOnce), k);
                suppressedAtOnce += atOnce.SuppressedValues;
            }
        }

        var values = answers * ProfileTuple.Attributes;
        output.WriteLine($"{3 * surveys} generated surveys, {answers} answers in batches of k to 4k (k = 3, 5, 10): " +
                         $"{uniqueBefore} answers had a unique profile before; {suppressed} of {values} values suppressed " +
                         $"({100.0 * suppressed / values:F1} %), {merged} age bands merged, {storedRecoded} stored answers recoded; " +
                         $"recoded in one go at closing instead: {suppressedAtOnce} suppressed ({100.0 * suppressedAtOnce / values:F1} %)");
        Assert.True(suppressed < values);
    }

    /// <summary>A county-like panel: Tampere large, small municipalities small, few Swedish speakers, gender sometimes not stated.</summary>
    private static ProfileTuple Generated(Random random)
    {
        var m = Math.Min(Municipalities.Length - 1, (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 2));
        var age = AgeBands[random.Next(AgeBands.Length)];
        var gender = random.NextDouble() switch { < 0.48 => "woman", < 0.94 => "man", < 0.97 => "other", _ => (string?)null };
        var language = random.NextDouble() switch { < 0.9 => "fi", < 0.96 => "sv", _ => "en" };
        var client = random.NextDouble() < 0.3 ? "true" : random.NextDouble() < 0.9 ? "false" : null;
        return new ProfileTuple(age, Municipalities[m], gender, language, client);
    }
}
