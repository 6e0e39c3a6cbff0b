namespace Panel.Membership.Invitations;

/// <summary>A member who may be invited, with the coarse profile the invitation carries.</summary>
public sealed class Candidate
{
    public Guid Id { get; set; }
    /// <summary>Where the invitation email goes (read with the candidate, in the issuing transaction).</summary>
    public string Email { get; set; } = "";
    public string AgeBand { get; set; } = "";
    public string Municipality { get; set; } = "";
    public string? Gender { get; set; }
    public string Language { get; set; } = "";
    public bool? IsClient { get; set; }

    public string? ValueOf(string attribute) => attribute switch
    {
        "ageBand" => AgeBand,
        "municipality" => Municipality,
        "gender" => Gender ?? "unspecified",
        "language" => Language,
        "isClient" => IsClient is { } c ? (c ? "true" : "false") : null,
        _ => null,
    };
}

/// <summary>A quota the sample could not meet: <see cref="Wanted"/> members were asked for, only <see cref="Invited"/> existed.</summary>
public sealed record QuotaShortfall(string Attribute, IReadOnlyList<string> Values, int Wanted, int Invited);

public sealed record Sample(IReadOnlyList<Candidate> Members, IReadOnlyList<QuotaShortfall> Shortfalls);

/// <summary>
/// Draws a simple random sample of <c>size</c> candidates, first filling each quota (at least its share of the
/// sample from its values) in random order, then the rest from everyone left, in random order. A quota that
/// cannot be filled takes everyone it can and is reported as a shortfall. Deterministic for a given random
/// source and candidate order.
/// </summary>
public static class Sampler
{
    public static Sample Draw(IReadOnlyList<Candidate> candidates, int? size, IReadOnlyList<TargetQuota> quotas, Random random)
    {
        if (size is not { } n || n >= candidates.Count)
        {
            // Everyone who matches is invited: quotas cannot change who, only say whether their share was reached.
            var all = candidates.ToList();
            return new Sample(all, size is null ? [] : Shortfalls(all, all.Count, quotas));
        }

        var order = candidates.ToArray();
        // Fisher–Yates; without quotas only the first n places are needed.
        var places = quotas.Count == 0 ? n : order.Length;
        for (var i = 0; i < places && i < order.Length - 1; i++)
        {
            var j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }

        if (quotas.Count == 0)
        {
            return new Sample(order[..n], []);
        }

        var chosen = new bool[order.Length];
        var picked = new List<Candidate>(n);
        foreach (var quota in quotas)
        {
            var wanted = Wanted(quota, n);
            var have = picked.Count(c => In(quota, c));
            for (var i = 0; i < order.Length && have < wanted && picked.Count < n; i++)
            {
                if (!chosen[i] && In(quota, order[i]))
                {
                    chosen[i] = true;
                    picked.Add(order[i]);
                    have++;
                }
            }
        }

        for (var i = 0; i < order.Length && picked.Count < n; i++)
        {
            if (!chosen[i])
            {
                chosen[i] = true;
                picked.Add(order[i]);
            }
        }

        return new Sample(picked, Shortfalls(picked, n, quotas));
    }

    private static int Wanted(TargetQuota quota, int n) => (int)Math.Ceiling(quota.MinimumShare * n);

    private static bool In(TargetQuota quota, Candidate c) => c.ValueOf(quota.Attribute) is { } v && quota.Values.Contains(v);

    private static List<QuotaShortfall> Shortfalls(IReadOnlyList<Candidate> sample, int n, IReadOnlyList<TargetQuota> quotas) =>
        quotas
            .Select(q => new QuotaShortfall(q.Attribute, q.Values, Wanted(q, n), sample.Count(c => In(q, c))))
            .Where(s => s.Invited < s.Wanted)
            .ToList();
}
