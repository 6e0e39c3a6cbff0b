using System.Text.Json;
using Panel.Gateway.Backends;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Answering;

/// <summary>
/// The answering pages' use of Surveys' generated client: the request every answering call takes, and the answers'
/// problems Surveys names in a refused save or submit. Nothing secret is logged: the token and resume code are only
/// in request bodies.
/// </summary>
public static class AnsweringCalls
{
    public static void Register(IServiceCollection services) => services.AddSingleton<AnswerSecrets>();

    /// <summary>The body of an answering call; what is null is left out.</summary>
    public static AnswerRequest Request(
        string? token = null, string? resumeCode = null, string? language = null, string? page = null,
        IReadOnlyDictionary<string, JsonElement>? answers = null) =>
        new(answers, language, page, resumeCode, token);

    /// <summary>The answers' problems of a refused save or submit (the problem's <c>answerErrors</c>), worded by the page.</summary>
    public static IReadOnlyList<AnswerProblem> AnswerErrors(this ServiceException problem) =>
        problem.Extension<List<AnswerProblem>>("answerErrors") ?? [];
}
