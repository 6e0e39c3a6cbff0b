namespace Panel.Privacy;

/// <summary>
/// A total shown apart from its parts, each of which is shown elsewhere only when empty or at least k (a survey list's
/// respondents beside each audience's results): the total is shown only when every part is, so that it minus the
/// parts shown cannot give a hidden part of 1 to k - 1.
/// </summary>
public static class TotalOfParts
{
    public static long? Publish(IReadOnlyCollection<long> parts, int k) => parts.All(p => p == 0 || p >= k) ? parts.Sum() : null;
}
