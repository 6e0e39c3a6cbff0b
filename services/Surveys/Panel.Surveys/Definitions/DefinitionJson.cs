using System.Text.Json;
using System.Text.Json.Serialization;

namespace Panel.Surveys.Definitions;

/// <summary>How definitions, answers and the API's bodies are written as JSON.</summary>
public static class DefinitionJson
{
    /// <summary>Enums as kebab-case strings: "in-review", "participatory-budget".</summary>
    public static JsonStringEnumConverter EnumConverter() => new(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

    /// <summary>
    /// PostgreSQL's jsonb reorders an object's keys, so the "type" discriminator is rarely first
    /// when a definition is read back: out-of-order metadata must be accepted.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.AllowOutOfOrderMetadataProperties = true;
        options.Converters.Add(EnumConverter());
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Equal as JSON, whatever the order of object keys (jsonb keeps its own order).</summary>
    public static bool SameJson<T>(T a, T b) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a, Options), JsonSerializer.SerializeToNode(b, Options));

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"{typeof(T).Name} was null.");
}
