namespace Panel.Privacy.Tests;

public sealed class HiddenNumberTests
{
    [Theory]
    [InlineData("fi", "piilotettu")]
    [InlineData("sv", "dolt")]
    [InlineData("en", "hidden")]
    public void The_footnote_explains_the_one_symbol_in_each_language(string language, string word)
    {
        var footnote = HiddenNumber.Footnote(language, 5);
        Assert.StartsWith(HiddenNumber.Symbol + " = ", footnote);
        Assert.Contains(word, footnote);
        Assert.Contains("5", footnote);
    }

    [Fact]
    public void The_footnotes_differ_by_language_and_follow_k()
    {
        Assert.Equal(3, HiddenNumber.Languages.Select(l => HiddenNumber.Footnote(l, 5)).Distinct().Count());
        Assert.Contains("7", HiddenNumber.Footnote("en", 7));
        Assert.Equal(HiddenNumber.Footnote("fi", 5), HiddenNumber.Footnote("xx", 5));
    }
}
