namespace Panel.Privacy;

/// <summary>
/// Releases of at least k (DESIGN.md section 5, rule 4): how many of the records waiting to be added to published
/// numbers (a survey's submitted answers, which Surveys' response mixer adds to its results) one transaction may add,
/// so that no two snapshots of what is published (before and after any release, closing included) differ by fewer
/// than k records: subtracting them never isolates fewer than k people. While more may come, a release happens only
/// when at least 2k wait and leaves k waiting, so it adds at least k and the records left for the closing are at
/// least k. At closing everything waiting goes (at least k whenever anything was released before). The only release
/// that may add fewer than k is the first and only one of a set that had fewer than k records in all, whose numbers
/// describe fewer than k anyway and are suppressed. Records that fall short of a k raised midway stay waiting rather
/// than be released alone: they are kept, never lost, and counted as waiting.
/// </summary>
public static class ReleaseRule
{
    /// <summary>
    /// The k releases respect: the set's own minimum group size (a survey's), the configured minimum if that is
    /// larger, and never below <see cref="MinimumGroup.LowestK"/>.
    /// </summary>
    public static int K(int ownMinimumGroupSize, int configuredMinimum) =>
        MinimumGroup.AtLeastLowest(Math.Max(ownMinimumGroupSize, configuredMinimum));

    /// <summary>
    /// The most records one transaction moves: the configured batch size, but at least 2k, so that splitting a
    /// large release into several transactions still gives each of them at least k.
    /// </summary>
    public static int BatchSize(int configuredBatchSize, int k) => Math.Max(configuredBatchSize, 2 * k);

    /// <summary>How many of <paramref name="waiting"/> records one transaction releases now (0: none).</summary>
    /// <param name="waiting">Records waiting, all of them (the transaction holds them).</param>
    /// <param name="k">From <see cref="K"/>.</param>
    /// <param name="closed">No more records will come (a survey closed or its results published).</param>
    /// <param name="releasedBefore">Records of the set were released before.</param>
    /// <param name="batchSize">From <see cref="BatchSize"/> (at least 2k).</param>
    public static int Release(int waiting, int k, bool closed, bool releasedBefore, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, MinimumGroup.LowestK);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2 * k);
        if (waiting <= 0)
        {
            return 0;
        }

        if (!closed)
        {
            // Adds waiting - k ≥ k (or a full batch ≥ 2k) and leaves at least k for the next release.
            return waiting >= 2 * k ? Math.Min(batchSize, waiting - k) : 0;
        }

        if (waiting < k && releasedBefore)
        {
            return 0;
        }

        // All of it in one transaction when it fits; else a batch that leaves at least k for the last one.
        return waiting <= batchSize ? waiting : Math.Min(batchSize, waiting - k);
    }
}
