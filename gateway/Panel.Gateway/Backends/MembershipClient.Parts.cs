using System.Text.Json;

// Hand-written parts of the generated Membership client (ServiceClients.targets) and of its types.
namespace Panel.Gateway.Backends.Membership;

public partial class MembershipClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ServiceClientSettings.Apply(settings);

    // Kept as text too, so that a problem's extension members (reason, answerErrors) reach ServiceException.
    partial void Initialize() => ReadResponseAsString = true;
}

public partial class MeResponse
{
    /// <summary>pending, active, paused or withdrawn.</summary>
    public string StateName => State.ToString().ToLowerInvariant();
}

public partial class SupportLookupResponse
{
    /// <summary>pending, active, paused or withdrawn.</summary>
    public string StateName => State.ToString().ToLowerInvariant();
}

public partial class ConsentTexts
{
    /// <summary>The text in <paramref name="language"/>, or null.</summary>
    public string? In(string language) => language switch { "fi" => Fi, "sv" => Sv, "en" => En, _ => null };
}
