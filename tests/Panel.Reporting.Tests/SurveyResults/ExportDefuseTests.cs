using Panel.Reporting.SurveyResults;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>Texts in an export that a spreadsheet would run as a formula stay text.</summary>
public sealed class ExportDefuseTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\uFF1D1+1", "'\uFF1D1+1")]
    [InlineData("\uFF0BSUM(A1)", "'\uFF0BSUM(A1)")]
    [InlineData("\uFF0D5", "'\uFF0D5")]
    [InlineData("\uFF20A1", "'\uFF20A1")]
    public void A_text_that_starts_like_a_formula_gets_a_leading_apostrophe(string text, string expected) =>
        Assert.Equal(expected, ResultsExport.Defuse(text));

    [Theory]
    [InlineData("-5")]
    [InlineData("+1.5")]
    [InlineData("Kotihoito")]
    [InlineData("")]
    public void Numbers_and_plain_texts_stay_as_they_are(string text) => Assert.Equal(text, ResultsExport.Defuse(text));
}
