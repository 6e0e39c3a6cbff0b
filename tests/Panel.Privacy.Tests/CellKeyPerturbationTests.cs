using Panel.Privacy;

namespace Panel.Privacy.Tests;

public sealed class CellKeyPerturbationTests
{
    [Fact]
    public void The_same_set_always_gets_the_same_number()
    {
        var keys = Keys(new Random(1), 40);
        var first = CellKeyPerturbation.Publish(keys.Length, keys.Sum(), k: 5);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(first, CellKeyPerturbation.Publish(keys.Length, keys.Sum(), k: 5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Zero_and_counts_below_k_are_suppressed_alike(int count) =>
        Assert.Null(CellKeyPerturbation.Publish(count, Keys(new Random(count), count).Sum(), k: 5));

    [Fact]
    public void Shown_counts_are_multiples_of_five_within_the_stated_error_and_never_below_k()
    {
        var random = new Random(7);
        var errors = new List<long>();
        for (var n = 5; n < 3000; n++)
        {
            var shown = CellKeyPerturbation.Publish(n, Keys(random, n).Sum(), k: 5)!.Value;
            Assert.Equal(0, shown % 5);
            Assert.True(shown >= 5);
            errors.Add(shown - n);
        }

        Assert.All(errors, e => Assert.InRange(e, -CellKeyPerturbation.MaxError(), CellKeyPerturbation.MaxError()));
        // Unbiased: over thousands of counts the errors cancel out (clamping at k aside, which only n near 5 meets).
        Assert.InRange(errors.Skip(20).Average(), -0.3, 0.3);
    }

    [Fact]
    public void The_perturbation_takes_every_value_from_minus_three_to_three_and_is_centred()
    {
        var random = new Random(3);
        var seen = Enumerable.Range(0, 20_000).Select(_ => CellKeyPerturbation.Perturbation(random.Next(5, 500), random.NextInt64())).ToList();

        Assert.Equal(Enumerable.Range(-3, 7), seen.Distinct().Order());
        Assert.InRange(seen.Average(), -0.05, 0.05);
        Assert.InRange(seen.Count(p => p == 0) / (double)seen.Count, 0.27, 0.33);
    }

    [Fact]
    public void A_set_one_member_larger_gets_unrelated_noise()
    {
        var random = new Random(11);
        var same = 0;
        for (var i = 0; i < 2000; i++)
        {
            var keys = Keys(random, 50);
            same += CellKeyPerturbation.Perturbation(50, keys.Sum()) == CellKeyPerturbation.Perturbation(51, keys.Sum() + CellKeyPerturbation.NewRecordKey(random)) ? 1 : 0;
        }

        // Independent draws agree with probability sum(p²) = 0.225.
        Assert.InRange(same / 2000.0, 0.18, 0.27);
    }

    internal static long[] Keys(Random random, int count) => Enumerable.Range(0, count).Select(_ => (long)CellKeyPerturbation.NewRecordKey(random)).ToArray();
}
