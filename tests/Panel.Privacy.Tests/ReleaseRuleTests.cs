using Panel.Privacy;

namespace Panel.Privacy.Tests;

/// <summary>
/// The mixer's release rule over many random sequences of arrivals, mixer runs and a close: every release adds at
/// least k answers but a first one at the close of a survey with fewer than k answers, nothing is lost, and at the close everything goes that may.
/// </summary>
public sealed class ReleaseRuleTests
{
    [Theory]
    [InlineData(3, 6)]
    [InlineData(5, 10)]
    [InlineData(5, 500)]
    [InlineData(7, 15)]
    public void Every_release_adds_at_least_k_answers_but_the_first_and_only_one(int k, int batchSize)
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var waiting = 0;
            var arrived = 0;
            var releases = new List<int>();
            var closed = false;
            var steps = random.Next(1, 40);
            for (var step = 0; step < steps; step++)
            {
                switch (random.Next(4))
                {
                    case 0 or 1:
                        // Answers arrive (a burst now and then); after the close only a racing straggler.
                        var n = closed ? random.Next(0, 2) : random.Next(0, random.Next(2) == 0 ? 3 : 3 * batchSize);
                        waiting += n;
                        arrived += n;
                        break;
                    case 2:
                        closed |= random.Next(8) == 0;
                        break;
                    default:
                        Mix();
                        break;
                }
            }

            closed = true;
            Mix();
            Mix();

            var context = $"k {k}, batch {batchSize}, seed {seed}: releases {string.Join(' ', releases)}, waiting {waiting}";
            // Only a first release may add fewer than k: at the close of a survey with fewer than k answers, whose
            // results are suppressed anyway; anything after it adds k or more, so no difference is below k.
            Assert.True(releases.Skip(1).All(r => r >= k), context);
            Assert.True(releases.Count == 0 || releases[0] >= k || closed, context);
            Assert.Equal(arrived, releases.Sum() + waiting);
            Assert.True(releases.All(r => r <= batchSize), context);
            // What stays waiting after the close are only stragglers after a release, fewer than k.
            Assert.True(waiting == 0 || (releases.Count > 0 && waiting < k), context);

            void Mix()
            {
                int release;
                while ((release = ReleaseRule.Release(waiting, k, closed, releases.Count > 0, batchSize)) > 0)
                {
                    Assert.True(release <= waiting, $"seed {seed}");
                    // While open, k always stay for the next release.
                    Assert.True(closed || waiting - release >= k, $"seed {seed}");
                    waiting -= release;
                    releases.Add(release);
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 1, 5)]
    [InlineData(8, 5, 8)]
    [InlineData(1, 1, 3)]
    [InlineData(3, 10, 10)]
    public void K_is_the_surveys_own_or_the_configured_minimum_and_never_below_3(int surveyK, int configured, int expected) =>
        Assert.Equal(expected, ReleaseRule.K(surveyK, configured));

    [Fact]
    public void A_batch_is_never_smaller_than_2k_so_a_split_release_still_adds_k_each_time() =>
        Assert.Equal((500, 14), (ReleaseRule.BatchSize(500, 5), ReleaseRule.BatchSize(3, 7)));
}
