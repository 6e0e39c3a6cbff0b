using Panel.ServiceDefaults;

namespace Panel.Gateway.Security;

/// <summary>How long sessions last. The gateway's session records enforce them, not the cookies.</summary>
public sealed class SessionTimeoutOptions
{
    public const string Section = "Sessions";

    /// <summary>A staff session ends after this long without a request (default 30 minutes).</summary>
    [TimeSpanRange("00:05:00", "08:00:00")]
    public TimeSpan StaffIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A staff session ends this long after signing in, however active (default 12 hours).</summary>
    [TimeSpanRange("00:05:00", "1.00:00:00")]
    public TimeSpan StaffAbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A resident session ends after this long without a request (default 8 hours).</summary>
    [TimeSpanRange("00:05:00", "7.00:00:00")]
    public TimeSpan ResidentIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often records of ended sessions are deleted (default 15 minutes).</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(15);
}
