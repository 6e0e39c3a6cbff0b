namespace Panel.Privacy;

/// <summary>
/// A coarse profile as stored with an answer: a null value is "not stated" (never given, or suppressed here).
/// The client status is a string ("true"/"false") so that every attribute is handled alike.
/// </summary>
public readonly record struct ProfileTuple(string? AgeBand, string? Municipality, string? Gender, string? Language, string? Client)
{
    public const int Attributes = 5;

    /// <summary>The tuple with every value not stated: the class every profile can join.</summary>
    public static readonly ProfileTuple NotStated = new(null, null, null, null, null);

    public string? this[int attribute] => attribute switch
    {
        0 => AgeBand,
        1 => Municipality,
        2 => Gender,
        3 => Language,
        4 => Client,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };
}

/// <summary>Stored answers of one class (exact stored tuple) that must be recoded to another.</summary>
public readonly record struct StoredRecoding(ProfileTuple From, ProfileTuple To, int Count);

/// <summary>
/// What <see cref="ProfileAnonymizer.Recode"/> decided: the batch's profiles in the batch's order (null stays null: an
/// answer without a profile), the stored answers to recode, and what was lost: values suppressed (set to not stated)
/// and age bands merged, over the batch and the stored answers recoded. <see cref="Satisfied"/> is false only when the
/// survey has fewer than k answers with a profile in all, so that no recoding can make a class of k.
/// </summary>
public sealed record ProfileRecoding(
    IReadOnlyList<ProfileTuple?> Batch,
    IReadOnlyList<StoredRecoding> Stored,
    int SuppressedValues,
    int MergedAgeBands,
    bool Satisfied);

/// <summary>
/// How much a statistician loses when an attribute is suppressed (relative weights; the cheapest goes first among
/// recodings that suppress equally many values). Defaults: language (mostly implied by municipality) goes first, then
/// gender (optional anyway), client status, age band, and municipality, the county's main axis of analysis, last.
/// </summary>
public sealed record ProfileWeights(double AgeBand = 4, double Municipality = 5, double Gender = 2, double Language = 1, double Client = 3)
{
    public double this[int attribute] => attribute switch
    {
        0 => AgeBand,
        1 => Municipality,
        2 => Gender,
        3 => Language,
        4 => Client,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };
}

/// <summary>
/// k-anonymity of the profiles stored with a survey's answers (DESIGN.md section 5, rule 2): after a batch is stored,
/// every stored combination (exact tuple) occurs at least k times among the survey's answers with a profile, so matching
/// a member's profile against the stored answers leaves at least k candidates; and as every value of a k-anonymous table
/// occurs at least k times, so do the per-attribute rollups made from it.
/// <para>
/// Method (local recoding, greedy, least loss first): the recodings of a profile are the 48 patterns of "age band
/// kept, merged with its neighbour into a 20-year band, or suppressed" × "each other attribute kept or suppressed",
/// tried from the cheapest (fewest values lost, then the least useful attributes by <see cref="ProfileWeights"/>).
/// At each pattern, profiles still unplaced that fall into a stored class of k or more join it, and those that share
/// a recoded tuple with at least k−1 others form a new class. Whatever is left after the last pattern is all not
/// stated; if that class is still below k, it takes answers from classes that have more than they need (first the
/// batch's, those that lose least; stored answers only when the batch is too small). Stored classes already below k
/// (stored before this rule) are recoded with the batch.
/// </para>
/// Pure: no I/O, deterministic for the same input.
/// </summary>
public static class ProfileAnonymizer
{
    private sealed record Pattern(int Age, int Suppressed, double Cost);

    private sealed class Item(ProfileTuple original, bool stored)
    {
        public ProfileTuple Original { get; } = original;
        public bool Stored { get; } = stored;
        public ProfileTuple? Assigned { get; set; }
        public double Cost { get; set; }
    }

    /// <param name="stored">Counts of the survey's stored answers per exact stored tuple (answers without a profile left out).</param>
    /// <param name="batch">The profiles of the answers about to be stored (null: no profile).</param>
    /// <param name="k">The survey's minimum group size.</param>
    /// <param name="ageBands">The 10-year age bands in order; neighbours (1st+2nd, 3rd+4th, ...) merge into one.</param>
    public static ProfileRecoding Recode(
        IReadOnlyDictionary<ProfileTuple, int> stored,
        IReadOnlyList<ProfileTuple?> batch,
        int k,
        IReadOnlyList<string> ageBands,
        ProfileWeights? weights = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        weights ??= new ProfileWeights();
        var patterns = Patterns(weights);

        // Classes that are safe already stay as they are; their counts only grow.
        var classes = stored.Where(c => c.Value >= k).ToDictionary(c => c.Key, c => c.Value);
        var items = new List<Item>();
        foreach (var (tuple, count) in stored.Where(c => c.Value is > 0 && c.Value < k).OrderBy(c => c.Key.ToString(), StringComparer.Ordinal))
        {
            items.AddRange(Enumerable.Range(0, count).Select(_ => new Item(tuple, stored: true)));
        }

        var batchItems = batch.Select(p => p is { } t ? new Item(t, stored: false) : null).ToList();
        items.AddRange(batchItems.OfType<Item>());

        foreach (var pattern in patterns)
        {
            var groups = items.Where(i => i.Assigned is null)
                .GroupBy(i => Apply(i.Original, pattern, ageBands))
                .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var size = group.Count();
                var last = pattern == patterns[^1];
                if (classes.GetValueOrDefault(group.Key) + size >= k || last)
                {
                    foreach (var item in group)
                    {
                        item.Assigned = group.Key;
                        item.Cost = pattern.Cost;
                    }

                    classes[group.Key] = classes.GetValueOrDefault(group.Key) + size;
                }
                else if (Borrow(group.Key, k - classes.GetValueOrDefault(group.Key) - size, size, k, pattern, items, classes, ageBands) is { } lent)
                {
                    // A few spare answers of classes placed earlier fall into this group too: with them it reaches k,
                    // and they lose less than the group would if it went on to be not stated.
                    foreach (var item in group.Concat(lent))
                    {
                        if (item.Assigned is { } from)
                        {
                            classes[from]--;
                        }

                        item.Assigned = group.Key;
                        item.Cost = pattern.Cost;
                    }

                    classes[group.Key] = classes.GetValueOrDefault(group.Key) + size + lent.Count;
                }
            }
        }

        var recodings = new List<StoredRecoding>();
        var satisfied = FillNotStated(classes, items, stored, k, patterns[^1].Cost, recodings);

        var batchResult = batchItems.ConvertAll(i => i?.Assigned);
        recodings.AddRange(items.Where(i => i.Stored && i.Assigned != i.Original)
            .GroupBy(i => (i.Original, To: i.Assigned!.Value))
            .Select(g => new StoredRecoding(g.Key.Original, g.Key.To, g.Count())));
        var merged = recodings.GroupBy(r => (r.From, r.To)).Select(g => new StoredRecoding(g.Key.From, g.Key.To, g.Sum(r => r.Count)))
            .Where(r => r.From != r.To).ToList();

        int suppressed = 0, mergedBands = 0;
        foreach (var (from, to, count) in items.Where(i => !i.Stored).Select(i => (i.Original, i.Assigned!.Value, 1))
                     .Concat(merged.Select(r => (r.From, r.To, r.Count))))
        {
            suppressed += count * Enumerable.Range(0, ProfileTuple.Attributes).Count(a => from[a] is not null && to[a] is null);
            mergedBands += from.AgeBand is not null && to.AgeBand is not null && from.AgeBand != to.AgeBand ? count : 0;
        }

        return new ProfileRecoding(batchResult, merged, suppressed, mergedBands, satisfied);
    }

    /// <summary>
    /// Up to <paramref name="need"/> answers placed earlier that the pattern maps to <paramref name="key"/> and whose
    /// classes keep k without them (at most as many as the group has, so that the group gains more than they lose);
    /// null when there are not enough.
    /// </summary>
    private static List<Item>? Borrow(
        ProfileTuple key, int need, int size, int k, Pattern pattern, List<Item> items, Dictionary<ProfileTuple, int> classes, IReadOnlyList<string> ageBands)
    {
        if (need > size)
        {
            return null;
        }

        var spare = new Dictionary<ProfileTuple, int>();
        var lent = new List<Item>(need);
        foreach (var item in items.Where(i => i.Assigned is { } a && a != key && i.Cost < pattern.Cost).OrderByDescending(i => i.Cost))
        {
            var from = item.Assigned!.Value;
            if (!spare.TryGetValue(from, out var left))
            {
                left = classes[from] - k;
            }

            if (left > 0 && Apply(item.Original, pattern, ageBands) == key)
            {
                lent.Add(item);
                spare[from] = left - 1;
                if (lent.Count == need)
                {
                    return lent;
                }
            }
            else
            {
                spare[from] = left;
            }
        }

        return null;
    }

    /// <summary>
    /// The all-not-stated class, if used, must reach k: it takes answers from classes with more than they need, those
    /// that lose least first. Returns false when even every answer of the survey together is fewer than k.
    /// </summary>
    private static bool FillNotStated(
        Dictionary<ProfileTuple, int> classes, List<Item> items, IReadOnlyDictionary<ProfileTuple, int> stored, int k,
        double notStatedCost, List<StoredRecoding> recodings)
    {
        var target = ProfileTuple.NotStated;
        int Deficit() => classes.TryGetValue(target, out var n) && n > 0 ? Math.Max(0, k - n) : 0;
        if (Deficit() == 0)
        {
            return true;
        }

        void Move(Item item)
        {
            classes[item.Assigned!.Value]--;
            item.Assigned = target;
            item.Cost = notStatedCost;
            classes[target]++;
        }

        // 1. Spare answers of this batch: a class keeps k (a stored class of k or more needs none of the batch's).
        var spare = items.Where(i => i.Assigned != target)
            .OrderByDescending(i => i.Cost).ThenBy(i => i.Original.ToString(), StringComparer.Ordinal).ToList();
        foreach (var item in spare)
        {
            if (Deficit() == 0)
            {
                return true;
            }

            if (classes[item.Assigned!.Value] > k)
            {
                Move(item);
            }
        }

        // 2. Whole classes made of this batch's answers (and stored ones below k), smallest first.
        foreach (var group in items.Where(i => i.Assigned != target).GroupBy(i => i.Assigned!.Value)
                     .Where(g => !stored.TryGetValue(g.Key, out var s) || s < k)
                     .OrderBy(g => g.Count()).ThenBy(g => g.Key.ToString(), StringComparer.Ordinal).ToList())
        {
            if (Deficit() == 0)
            {
                return true;
            }

            foreach (var item in group.ToList())
            {
                Move(item);
            }
        }

        // 3. Stored answers: their spare first, then whole stored classes, smallest first.
        var storedClasses = stored.Where(c => c.Value >= k && c.Key != target)
            .OrderBy(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal).Select(c => c.Key).ToList();
        foreach (var tuple in storedClasses)
        {
            var take = Math.Min(Deficit(), Math.Max(0, classes[tuple] - k));
            if (take > 0)
            {
                Take(tuple, take);
            }
        }

        foreach (var tuple in storedClasses)
        {
            if (Deficit() == 0)
            {
                break;
            }

            // Whatever of the batch joined this class goes along: the class is dissolved.
            foreach (var item in items.Where(i => i.Assigned == tuple).ToList())
            {
                Move(item);
            }

            var rest = Math.Min(classes[tuple], stored[tuple]);
            if (rest > 0)
            {
                Take(tuple, rest);
            }
        }

        return Deficit() == 0;

        void Take(ProfileTuple from, int count)
        {
            classes[from] -= count;
            classes[target] += count;
            recodings.Add(new StoredRecoding(from, target, count));
        }
    }

    /// <summary>The 48 recodings, cheapest first: fewest values lost (a merged age band half of one), then by weight.</summary>
    private static Pattern[] Patterns(ProfileWeights w)
    {
        var list = new List<Pattern>();
        for (var age = 0; age <= 2; age++)
        {
            for (var mask = 0; mask < 1 << (ProfileTuple.Attributes - 1); mask++)
            {
                double lost = age / 2.0, weight = w.AgeBand * age / 2.0;
                for (var a = 1; a < ProfileTuple.Attributes; a++)
                {
                    if ((mask & (1 << (a - 1))) != 0)
                    {
                        lost += 1;
                        weight += w[a];
                    }
                }

                list.Add(new Pattern(age, mask, lost * 1000 + weight));
            }
        }

        return [.. list.OrderBy(p => p.Cost).ThenBy(p => p.Age).ThenBy(p => p.Suppressed)];
    }

    private static ProfileTuple Apply(ProfileTuple t, Pattern p, IReadOnlyList<string> ageBands)
    {
        string? Keep(int attribute) => (p.Suppressed & (1 << (attribute - 1))) != 0 ? null : t[attribute];
        var age = p.Age switch
        {
            0 => t.AgeBand,
            1 => t.AgeBand is { } band ? MergedAgeBand(band, ageBands) : null,
            _ => null,
        };
        return new ProfileTuple(age, Keep(1), Keep(2), Keep(3), Keep(4));
    }

    /// <summary>
    /// The 20-year band of a 10-year band: merged with its neighbour (1st+2nd, 3rd+4th, ... of <paramref name="ageBands"/>),
    /// e.g. 15-24 and 25-34 → 15-34, 75-84 and 85+ → 75+. A band not in the list (merged already) stays as it is.
    /// </summary>
    public static string MergedAgeBand(string band, IReadOnlyList<string> ageBands)
    {
        var i = -1;
        for (var j = 0; j < ageBands.Count; j++)
        {
            if (string.Equals(ageBands[j], band, StringComparison.Ordinal))
            {
                i = j;
                break;
            }
        }

        if (i < 0)
        {
            return band;
        }

        var first = ageBands[i & ~1];
        if ((i | 1) >= ageBands.Count)
        {
            return first;
        }

        var second = ageBands[i | 1];
        var start = first.Split('-', '+')[0];
        return second.EndsWith('+') ? start + "+" : start + "-" + second.Split('-')[^1];
    }
}
