namespace Panel.ServiceDefaults;

/// <summary>
/// The county's clock: dates people read (pause days, closing days, staff pages) are the county's calendar days.
/// Finnish wellbeing services counties are all in one zone; Membership may be given another (Membership:TimeZone).
/// </summary>
public static class CountyTime
{
    public const string DefaultZoneId = "Europe/Helsinki";

    /// <summary>The county's zone (UTC where the system has no time zone data, e.g. a container without tzdata).</summary>
    public static readonly TimeZoneInfo Zone = Find(DefaultZoneId);

    public static TimeZoneInfo Find(string zoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Today's date on the given zone's clock.</summary>
    public static DateOnly Today(TimeProvider time, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
}
