using Microsoft.Extensions.Options;

namespace Panel.Surveys.Answering;

/// <summary>
/// A cap per open-link survey on answers (and on new saved drafts) per minute: defence behind the gateway's limit
/// per address, so that many addresses together cannot flood one survey. Counted in this process, by the minute
/// of the injected clock; a replica counts its own share.
/// </summary>
public sealed class OpenLinkLimiter(IOptions<SurveysOptions> options, TimeProvider time)
{
    private readonly Dictionary<(Guid Survey, string What), (long Minute, int Count)> _windows = [];
    private readonly Lock _lock = new();

    public const string Submits = "submit";
    public const string Drafts = "draft";

    /// <summary>Takes one of this minute's permits for the survey; false when they are used up.</summary>
    public bool TryAcquire(Guid surveyId, string what)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var cap = options.Value.OpenLinkResponsesPerMinute;
        lock (_lock)
        {
            if (_windows.Count > 10_000)
            {
                foreach (var old in _windows.Where(w => w.Value.Minute != minute).Select(w => w.Key).ToList())
                {
                    _windows.Remove(old);
                }
            }

            var key = (surveyId, what);
            var window = _windows.TryGetValue(key, out var w) && w.Minute == minute ? w : (Minute: minute, Count: 0);
            if (window.Count >= cap)
            {
                return false;
            }

            _windows[key] = (minute, window.Count + 1);
            return true;
        }
    }

    /// <summary>Seconds until the next minute starts (Retry-After).</summary>
    public int SecondsToNextWindow() => 60 - (int)(time.GetUtcNow().ToUnixTimeSeconds() % 60);
}
