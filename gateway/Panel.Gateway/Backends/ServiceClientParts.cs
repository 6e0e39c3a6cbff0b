using System.Text.Json;
using System.Text.Json.Nodes;
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
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => ServiceClientSettings.ApplyLeavingOutNulls(settings);

        // Kept as text too, so that a problem's extension members (reason, answerErrors) reach ServiceException.
        partial void Initialize() => ReadResponseAsString = true;
    }

    /// <summary>
    /// A question of a survey's definition, as the builder edits it: its JSON object. Surveys' Question is a union of
    /// nine types told apart by "type", which the generator cannot make into classes; what the builder sends back is
    /// read as the generated <see cref="QuestionInput"/>.
    /// </summary>
    [JsonConverter(typeof(QuestionJsonConverter))]
    public sealed class Question(JsonObject json)
    {
        public JsonObject Json { get; } = json;
    }

    internal sealed class QuestionJsonConverter : JsonConverter<Question>
    {
        public override Question Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonNode.Parse(ref reader) is JsonObject json ? new Question(json) : throw new JsonException("A question is a JSON object.");

        public override void Write(Utf8JsonWriter writer, Question value, JsonSerializerOptions options) => value.Json.WriteTo(writer, options);
    }

    public partial class SurveyDetails
    {
        public bool Allows(string action) => AllowedActions.Contains(action);
    }

    public partial class AnswerSession
    {
        /// <summary>The answers saved so far, by question id.</summary>
        public IReadOnlyDictionary<string, JsonElement> AnswerMap => ServiceClientSettings.Map(Answers);
    }

    public partial class FormQuestion
    {
        public IReadOnlyList<FormChoice> OptionList => Options ?? [];
        public IReadOnlyList<FormChoice> RowList => Rows ?? [];
        public IReadOnlyList<FormChoice> ColumnList => Columns ?? [];
        public IReadOnlyList<FormPoint> PointList => Points ?? [];

        /// <summary>How many options a ranking answer ranks.</summary>
        public int Ranked => RankCount ?? OptionList.Count;
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
}
