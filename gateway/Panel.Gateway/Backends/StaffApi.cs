namespace Panel.Gateway.Backends;

/// <summary>What the staff pages know of Membership's API beyond its generated client.</summary>
public static class StaffApi
{
    /// <summary>The campaign channels Membership accepts, in the order the form offers them.</summary>
    public static readonly IReadOnlyList<string> CampaignChannels = ["poster", "cinema", "mall-screen", "social-media", "event", "other"];
}
