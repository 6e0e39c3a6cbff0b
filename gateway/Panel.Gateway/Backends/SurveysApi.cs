namespace Panel.Gateway.Backends;

/// <summary>The values the staff survey pages offer (Surveys checks them again).</summary>
public static class SurveysApi
{
    /// <summary>The states in the order of a survey's life.</summary>
    public static readonly IReadOnlyList<string> States = ["draft", "in-review", "approved", "open", "closed", "results-published"];

    public static readonly IReadOnlyList<string> QuestionTypes =
        ["single-choice", "multiple-choice", "likert", "nps", "number", "free-text", "ranking", "matrix", "budget"];

    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];

    public static readonly IReadOnlyList<string> AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    public static readonly IReadOnlyList<string> Genders = ["woman", "man", "other", "unspecified"];

    public static readonly IReadOnlyList<string> QuotaAttributes = ["ageBand", "municipality", "gender", "language", "isClient"];
}
