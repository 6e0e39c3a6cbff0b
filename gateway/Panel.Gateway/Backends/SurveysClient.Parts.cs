using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

// Hand-written parts of the generated Surveys client (ServiceClients.targets) and of its types.
namespace Panel.Gateway.Backends.Surveys;

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
