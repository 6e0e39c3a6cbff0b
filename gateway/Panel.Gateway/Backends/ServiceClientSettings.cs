using System.Text.Json;
using System.Text.Json.Serialization;

namespace Panel.Gateway.Backends;

public static class ServiceClientSettings
{
    /// <summary>The clients' settings, for JSON the pages turn into generated types and back.</summary>
    public static readonly JsonSerializerOptions Json = Create();

    private static JsonSerializerOptions Create()
    {
        var settings = new JsonSerializerOptions();
        ApplyLeavingOutNulls(settings);
        return settings;
    }

    /// <summary>
    /// As the services read and write JSON: enums by name, which the services spell in kebab case ("in-review") or,
    /// in Membership's member states, in Pascal case ("Active"; names are read without regard to case).
    /// </summary>
    public static void Apply(JsonSerializerOptions settings) =>
        settings.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));

    /// <summary>
    /// Surveys' requests leave a null out: the builder's PATCH changes the fields it is given, and the pages build
    /// its body from what they change (the service reads a null as not given as well).
    /// </summary>
    public static void ApplyLeavingOutNulls(JsonSerializerOptions settings)
    {
        Apply(settings);
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }

    /// <summary>The enum's name as the service writes it ("in-review").</summary>
    public static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>A JSON object the generator typed as object (an answer set), by key.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Map(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } element => element.Deserialize<Dictionary<string, JsonElement>>() ?? [],
        IReadOnlyDictionary<string, JsonElement> map => map,
        _ => new Dictionary<string, JsonElement>(),
    };
}
