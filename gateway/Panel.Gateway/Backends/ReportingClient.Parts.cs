using System.Text.Json;

// Hand-written parts of the generated Reporting client (ServiceClients.targets).
namespace Panel.Gateway.Backends.Reporting;

public partial class ReportingClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ServiceClientSettings.Apply(settings);

    // Kept as text too, so that a problem's extension members (reason, answerErrors) reach ServiceException.
    partial void Initialize() => ReadResponseAsString = true;
}
