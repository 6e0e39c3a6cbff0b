using Panel.Gateway.Answering;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Components.Pages.Answer;

/// <summary>
/// Element ids of a question's controls, from its number in the survey (unique, unlike joined option ids):
/// the error summary links to the first control, and the control names the error in aria-describedby.
/// </summary>
public static class QuestionIds
{
    public static string Input(FormQuestion question) => question.Type switch
    {
        QuestionTypes.Number or QuestionTypes.FreeText => $"q{question.Number}",
        QuestionTypes.Ranking => $"q{question.Number}-p1",
        QuestionTypes.Matrix => $"q{question.Number}-r0-0",
        QuestionTypes.Budget => $"q{question.Number}-o0",
        _ => $"q{question.Number}-0",
    };

    /// <summary>The budget option's input when the problem is that option's own, else the first control.</summary>
    public static string Input(FormQuestion question, string? optionId)
    {
        if (question.Type == QuestionTypes.Budget && optionId is not null)
        {
            var index = question.OptionList.ToList().FindIndex(o => o.Id == optionId);
            if (index >= 0)
            {
                return $"q{question.Number}-o{index}";
            }
        }

        return Input(question);
    }

    public static string Error(FormQuestion question) => $"q{question.Number}-error";
}
