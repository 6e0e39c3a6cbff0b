using System.Text.Json;
using System.Text.Json.Serialization;

// The hand-written parts of the generated clients (ServiceClients.targets): their JSON settings (enums by name, as the
// services write them) and what the pages derive from a response.
namespace Panel.Gateway.Backends.Membership
{
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
}

namespace Panel.Gateway.Backends.Surveys
{
    public partial class SurveysClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ServiceClientSettings.Apply(settings);

        // Kept as text too, so that a problem's extension members (reason, answerErrors) reach ServiceException.
        partial void Initialize() => ReadResponseAsString = true;
    }
}

namespace Panel.Gateway.Backends.Reporting
{
    public partial class ReportingClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ServiceClientSettings.Apply(settings);

        // Kept as text too, so that a problem's extension members (reason, answerErrors) reach ServiceException.
        partial void Initialize() => ReadResponseAsString = true;
    }
}

namespace Panel.Gateway.Backends
{
    internal static class ServiceClientSettings
    {
        /// <summary>As the services write JSON: enums by name.</summary>
        public static void Apply(JsonSerializerOptions settings)
        {
            settings.Converters.Add(new JsonStringEnumConverter());
        }
    }
}
