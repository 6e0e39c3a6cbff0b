namespace Panel.TestSupport;

/// <summary>
/// Tests that count something "today" (a funnel day, a day's answers) and then read it back by today's date would see
/// the count move to yesterday if the UTC day ended between the two: such a test starts away from midnight.
/// </summary>
public static class UtcMidnight
{
    /// <summary>Returns at once unless the UTC day ends within <paramref name="margin"/>; then waits until it has.</summary>
    public static async Task AvoidAsync(TimeSpan margin)
    {
        var now = DateTime.UtcNow;
        var midnight = now.Date.AddDays(1);
        if (midnight - now < margin)
        {
            await Task.Delay(midnight - now + TimeSpan.FromSeconds(2));
        }
    }
}
