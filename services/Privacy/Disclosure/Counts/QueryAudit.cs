namespace Panel.Privacy;

/// <summary>
/// Query auditing for counts that answer free criteria (a table builder's "overlap control"). Every set a count can
/// describe is a union of the finest cells of the attributes the criteria choose from, so how many members two sets
/// differ by is a sum over cells. A set that adds fewer than k members to a set answered before and drops fewer than
/// k from it (but is not the same members) is answered with the number of that earlier set, never with its own. Every
/// two sets answered with their own numbers then differ on one side by k or more members, so no difference of two
/// answers isolates a group of 1 to k - 1 (nor the difference of two such groups), and averaging the differences of
/// many pairs that differ by the same small group, which would wash out the cell-key noise
/// (<see cref="CellKeyPerturbation"/>), finds the same number on both sides of every pair.
/// </summary>
public static class QueryAudit
{
    /// <summary>
    /// The number a count over free criteria shows (a targeting match count): the set <paramref name="query"/> takes,
    /// or the earlier set <see cref="FindNear"/> finds, suppressed below k, perturbed by the sum of its cells' record
    /// keys and rounded (<see cref="CellKeyPerturbation.Publish"/>). <c>Near</c> is the earlier set answered with, or
    /// -1 when the query got its own number: then the caller remembers its criteria for later audits.
    /// </summary>
    public static (long? Shown, int Near) Answer(
        IReadOnlyList<long> cellCounts, IReadOnlyList<long> cellKeySums, IReadOnlyList<bool> query, IReadOnlyList<IReadOnlyList<bool>> earlier, int k)
    {
        var near = FindNear(cellCounts, query, earlier, k);
        var answered = near >= 0 ? earlier[near] : query;
        long members = 0, keySum = 0;
        for (var i = 0; i < cellCounts.Count; i++)
        {
            if (answered[i])
            {
                members += cellCounts[i];
                keySum += cellKeySums[i];
            }
        }

        return (CellKeyPerturbation.Publish(members, keySum, k), near);
    }

    /// <summary>
    /// The earlier set nearest to <paramref name="query"/> (fewest members between them) among those it differs from
    /// by fewer than k members added and fewer than k dropped, or -1. A set is given by which cells it takes;
    /// <paramref name="cellCounts"/> holds the members of each cell.
    /// </summary>
    public static int FindNear(IReadOnlyList<long> cellCounts, IReadOnlyList<bool> query, IReadOnlyList<IReadOnlyList<bool>> earlier, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (query.Count != cellCounts.Count)
        {
            throw new ArgumentException("A set must name each cell.", nameof(query));
        }

        var nearest = -1;
        var nearestDifference = long.MaxValue;
        for (var e = 0; e < earlier.Count; e++)
        {
            var other = earlier[e];
            if (other.Count != cellCounts.Count)
            {
                throw new ArgumentException("Every set must name each cell.", nameof(earlier));
            }

            long added = 0, dropped = 0;
            for (var c = 0; c < cellCounts.Count && added < k && dropped < k; c++)
            {
                if (query[c] && !other[c])
                {
                    added += cellCounts[c];
                }
                else if (!query[c] && other[c])
                {
                    dropped += cellCounts[c];
                }
            }

            var difference = added + dropped;
            if (added < k && dropped < k && difference > 0 && difference < nearestDifference)
            {
                nearest = e;
                nearestDifference = difference;
            }
        }

        return nearest;
    }
}
