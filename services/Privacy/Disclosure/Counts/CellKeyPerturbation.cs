namespace Panel.Privacy;

/// <summary>
/// The cell-key method (Australian Bureau of Statistics' TableBuilder, the ONS's 2021 Census tables): every record
/// (a member, an invitation) carries a random record key drawn once and stored with it; the key of a count is the sum
/// of the keys of the records it counts, modulo <see cref="KeyRange"/>; and the count's perturbation is a fixed
/// function of the count and that cell key. The same set of records therefore always gets the same noise (asking
/// again, or averaging repeated answers, gains nothing), while two sets differing by a few records get unrelated
/// noise, so subtracting two perturbed counts no longer gives the size of the difference. On top, a count below k
/// (zero included) is suppressed and the perturbed count is rounded to a multiple of the base (5), so a difference
/// of two shown counts is always a multiple of 5 and never names 1 to 4 people. Shown counts of k or more are
/// within <see cref="MaxError"/> of the truth.
/// </summary>
public static class CellKeyPerturbation
{
    /// <summary>Record keys are uniform in [0, KeyRange); a sum of keys is taken modulo it.</summary>
    public const long KeyRange = int.MaxValue;

    /// <summary>The largest perturbation before rounding.</summary>
    public const int MaxPerturbation = 3;

    // The perturbation's distribution: -3..+3 with mean 0 and variance 2.1, so a difference of two independent
    // perturbed counts has a spread (sd about 2, 2.9 with the rounding) that hides a group of 1 to 4.
    private static readonly double[] Probabilities = [0.05, 0.10, 0.20, 0.30, 0.20, 0.10, 0.05];

    /// <summary>A new record key (to store with the record once).</summary>
    public static int NewRecordKey(Random random) => random.Next(0, int.MaxValue);

    /// <summary>The cell key of a sum of record keys.</summary>
    public static long CellKey(long keySum) => ((keySum % KeyRange) + KeyRange) % KeyRange;

    /// <summary>How far a shown count of k or more may lie from the true count: the perturbation plus the rounding.</summary>
    public static int MaxError(int roundingBase = CountRounding.DefaultBase) => MaxPerturbation + roundingBase / 2;

    /// <summary>The perturbation of a count of <paramref name="count"/> records whose keys add up to <paramref name="keySum"/>.</summary>
    public static int Perturbation(long count, long keySum)
    {
        // The count is mixed in with the key, so the noise of a set does not repeat in a set one record larger whose key is 0.
        var x = (ulong)count * 0x9E3779B97F4A7C15UL ^ (ulong)CellKey(keySum);
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        var u = (x >> 11) * (1.0 / (1UL << 53));
        var cumulative = 0.0;
        for (var i = 0; i < Probabilities.Length; i++)
        {
            cumulative += Probabilities[i];
            if (u < cumulative)
            {
                return i - MaxPerturbation;
            }
        }

        return MaxPerturbation;
    }

    /// <summary>
    /// The count as shown: null below <paramref name="k"/> (zero included, so an empty group looks like a small one),
    /// else the perturbed count rounded to the nearest multiple of the base, never below the first multiple of the
    /// base that is at least k (a shown number never says "fewer than k").
    /// </summary>
    public static long? Publish(long count, long keySum, int k, int roundingBase = CountRounding.DefaultBase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundingBase, 1);
        if (count < k)
        {
            return null;
        }

        var perturbed = count + Perturbation(count, keySum);
        return Math.Max(CountRounding.Nearest(perturbed, roundingBase), CountRounding.Lowest(k, roundingBase));
    }
}
