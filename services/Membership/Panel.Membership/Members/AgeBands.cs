using System.Globalization;
using System.Text;

namespace Panel.Membership.Members;

/// <summary>
/// Ten-year age bands (DESIGN.md section 5, rule 3). Age is reckoned from the birth year alone,
/// so the band is coarse by construction, and a member moves to the next band at a New Year.
/// </summary>
public static class AgeBands
{
    public static readonly IReadOnlyList<string> All = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    /// <summary>The age at which each band after the first begins.</summary>
    private static readonly int[] Starts = [25, 35, 45, 55, 65, 75, 85];

    public static string For(int birthYear, int currentYear)
    {
        var age = currentYear - birthYear;
        var band = 0;
        while (band < Starts.Length && age >= Starts[band])
        {
            band++;
        }

        return All[band];
    }

    /// <summary>
    /// The same reckoning as <see cref="For"/> as a PostgreSQL expression over the column
    /// <c>birth_year</c>, with the current year as parameter <c>{0}</c>; built from the same table so the two cannot drift.
    /// </summary>
    public static string SqlFor(string birthYearColumn)
    {
        var sql = new StringBuilder("CASE");
        for (var i = 0; i < Starts.Length; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" WHEN {{0}} - {birthYearColumn} < {Starts[i]} THEN '{All[i]}'");
        }

        return sql.Append(CultureInfo.InvariantCulture, $" ELSE '{All[^1]}' END").ToString();
    }
}
