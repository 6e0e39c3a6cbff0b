namespace Panel.Surveys.Responses;

/// <summary>
/// How many of a survey's waiting answers the <see cref="ResponseMixer"/> may add to its results in one
/// transaction, so that no two snapshots of the results (before and after any release, closing included) differ
/// by fewer than k answers: subtracting them never isolates fewer than k residents (DESIGN.md section 5, rule 4).
/// While the survey takes answers, a release happens only when at least 2k wait and leaves k waiting, so it adds
/// at least k and the answers left for the closing are at least k. At closing everything waiting goes (at least k
/// whenever anything was released before). The only release that may add fewer than k is the first and only one
/// of a survey that had fewer than k answers in all, whose results describe fewer than k anyway and are suppressed.
/// A submit that raced the close commits before the closing release, which waits for it (<see cref="ResponseMixer"/>).
/// Answers that fall short of a k raised mid-survey stay waiting rather than be released alone: they are kept, never
/// lost, and counted as waiting.
/// </summary>
public static class ReleaseRule
{
    /// <summary>DESIGN.md section 5, rule 4: k is never below 3.</summary>
    public const int LowestK = 3;

    /// <summary>
    /// The k a survey's releases respect: its own minimum group size, the configured minimum
    /// (<see cref="SurveysOptions.MixerMinimumBatch"/>) if that is larger, and never below <see cref="LowestK"/>.
    /// </summary>
    public static int K(int surveyMinimumGroupSize, int configuredMinimum) =>
        Math.Max(LowestK, Math.Max(surveyMinimumGroupSize, configuredMinimum));

    /// <summary>
    /// The most answers one transaction moves: the configured batch size, but at least 2k, so that splitting a
    /// large release into several transactions still gives each of them at least k.
    /// </summary>
    public static int BatchSize(int configuredBatchSize, int k) => Math.Max(configuredBatchSize, 2 * k);

    /// <summary>How many of <paramref name="waiting"/> answers one transaction releases now (0: none).</summary>
    /// <param name="waiting">Answers waiting for the survey, all of them (the transaction holds them).</param>
    /// <param name="k">From <see cref="K"/>.</param>
    /// <param name="closed">The survey takes no more answers (closed or results published).</param>
    /// <param name="releasedBefore">The survey already has answers in its results.</param>
    /// <param name="batchSize">From <see cref="BatchSize"/> (at least 2k).</param>
    public static int Release(int waiting, int k, bool closed, bool releasedBefore, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, LowestK);
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
