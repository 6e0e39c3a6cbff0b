using System.Globalization;
using Microsoft.Playwright;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// One answer set to the journey's survey (the question and option ids the builder steps give them), and how it is
/// filled into the answering page or the staff assisted page: by the fields' names (<c>q.{question}</c>,
/// <c>q.{question}.{part}</c>), so the same code works in every language of the form.
/// </summary>
public sealed record SurveyAnswers(
    string Single,
    IReadOnlyList<string> Multiple,
    int Likert,
    int Nps,
    int Number,
    string Text,
    IReadOnlyList<string> Ranking,
    IReadOnlyDictionary<string, string> Matrix,
    IReadOnlyDictionary<string, int> Budget)
{
    public const int Vouchers = 10;
    public const int CapOfFirstBudgetOption = 6;

    /// <summary>
    /// The answers of respondent <paramref name="i"/> (0-based; 21 in the journey). Every option of the questions the
    /// test counts is picked by 0 or at least 5 respondents, so no count of the totals is suppressed.
    /// </summary>
    public static SurveyAnswers For(int i) => new(
        Single: i < 10 ? "a1" : i < 16 ? "a2" : "a3",
        Multiple: i < 8 ? ["m1"] : i < 14 ? ["m1", "m2"] : ["m2", "m3"],
        Likert: i < 5 ? 5 : i < 11 ? 4 : i < 16 ? 3 : 2,
        Nps: i < 9 ? 10 : i < 14 ? 8 : 3,
        Number: 20 + i,
        // One resident writes their email address: results show it masked.
        Text: i == 0 ? "Please call me back: resident.zero@example.com" : $"More evening hours, idea {i}",
        Ranking: i < 11 ? ["k1", "k2", "k3"] : ["k3", "k1", "k2"],
        Matrix: i < 11
            ? new Dictionary<string, string> { ["r1"] = "s1", ["r2"] = "s2", ["r3"] = "s3" }
            : new Dictionary<string, string> { ["r1"] = "s2", ["r2"] = "s2", ["r3"] = "s1" },
        Budget: i < 11
            ? new Dictionary<string, int> { ["b1"] = CapOfFirstBudgetOption, ["b2"] = 4, ["b3"] = 0 }
            : new Dictionary<string, int> { ["b1"] = 2, ["b2"] = 3, ["b3"] = 5 });

    /// <summary>Fills every question of this survey that is on the page now; the others are left alone.</summary>
    public async Task FillAsync(IPage page)
    {
        if (await HasAsync(page, "q1"))
        {
            await page.Locator($"input[name='q.q1'][value='{Single}']").CheckAsync();
        }

        if (await HasAsync(page, "q2"))
        {
            foreach (var option in new[] { "m1", "m2", "m3" })
            {
                await page.Locator($"input[name='q.q2'][value='{option}']").SetCheckedAsync(Multiple.Contains(option));
            }
        }

        if (await HasAsync(page, "q3"))
        {
            await page.Locator($"input[name='q.q3'][value='{Likert}']").CheckAsync();
        }

        if (await HasAsync(page, "q4"))
        {
            await page.Locator($"input[name='q.q4'][value='{Nps}']").CheckAsync();
        }

        if (await HasAsync(page, "q5"))
        {
            await page.Locator("[name='q.q5']").FillAsync(Number.ToString(CultureInfo.InvariantCulture));
        }

        if (await HasAsync(page, "q6"))
        {
            await page.Locator("textarea[name='q.q6']").FillAsync(Text);
        }

        if (await HasAsync(page, "q7"))
        {
            for (var place = 0; place < Ranking.Count; place++)
            {
                await page.Locator($"select[name='q.q7.{place + 1}']").SelectOptionAsync(Ranking[place]);
            }
        }

        if (await HasAsync(page, "q8"))
        {
            foreach (var (row, column) in Matrix)
            {
                await page.Locator($"input[name='q.q8.{row}'][value='{column}']").CheckAsync();
            }
        }

        if (await HasAsync(page, "q9"))
        {
            foreach (var (option, vouchers) in Budget)
            {
                await page.Locator($"input[name='q.q9.{option}']").FillAsync(vouchers.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Whether the page shows what <see cref="FillAsync"/> would fill on it, i.e. the saved answers came back.</summary>
    public async Task<bool> IsShownOnAsync(IPage page)
    {
        var checks = new List<bool>();
        if (await HasAsync(page, "q1"))
        {
            checks.Add(await page.Locator($"input[name='q.q1'][value='{Single}']").IsCheckedAsync());
        }

        if (await HasAsync(page, "q4"))
        {
            checks.Add(await page.Locator($"input[name='q.q4'][value='{Nps}']").IsCheckedAsync());
        }

        if (await HasAsync(page, "q5"))
        {
            checks.Add(await page.Locator("[name='q.q5']").InputValueAsync() == Number.ToString(CultureInfo.InvariantCulture));
        }

        if (await HasAsync(page, "q6"))
        {
            checks.Add(await page.Locator("textarea[name='q.q6']").InputValueAsync() == Text);
        }

        return checks.Count > 0 && checks.All(c => c);
    }

    private static async Task<bool> HasAsync(IPage page, string questionId) =>
        await page.Locator($"input[type=hidden][name='qt.{questionId}']").CountAsync() > 0;
}
