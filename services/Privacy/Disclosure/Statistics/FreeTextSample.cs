namespace Panel.Privacy;

/// <summary>
/// Free texts are listed when k or more people wrote (issue 13), even where the number who wrote is hidden (say
/// 500 wrote and 3 skipped: the 500 is hidden, or it would give the 3 away). Counting a full list would give that
/// hidden number back, so such a list leaves out d texts, 0 ≤ d &lt; k, d and the texts left out chosen by a
/// stable hash of the list's key (the question) and the size of the group asked (the same list on every request).
/// A reader who counts L texts then knows only that L to L + k − 1 wrote, so the skipped count s lies in
/// [T − L − k + 1, T − L], and that range always holds 0 or a number of k or more: either d ≤ k − 1 − s (it
/// reaches 0) or d ≥ k − s (it reaches k).
/// </summary>
public static class FreeTextSample
{
    public static IReadOnlyList<string> WithoutCount(IReadOnlyList<string> texts, string key, long groupSize, int k)
    {
        var seed = Fnv($"{key}|{groupSize}");
        var random = new Random(seed);
        var leaveOut = Math.Min(random.Next(k), texts.Count);
        var dropped = Enumerable.Range(0, texts.Count).OrderBy(_ => random.Next()).Take(leaveOut).ToHashSet();
        return texts.Where((_, i) => !dropped.Contains(i)).ToList();
    }

    private static int Fnv(string s)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var ch in s)
            {
                hash = (hash ^ ch) * 16777619u;
            }

            return (int)(hash & 0x7fffffff);
        }
    }
}
