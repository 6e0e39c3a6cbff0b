namespace Panel.Privacy;

/// <summary>
/// How every hidden number is written wherever a person reads one (pages, exports, published results): one
/// symbol, the same for every reason a number is hidden, and one footnote in the reader's language. A label such
/// as "under 5" on some cells and not on others would tell which cells are the small ones (and is wrong for a
/// number hidden to protect another, which may hold hundreds); the symbol says only "not shown".
/// </summary>
public static class HiddenNumber
{
    /// <summary>The symbol statistical offices use for a figure withheld as confidential (Statistics Finland: "..").</summary>
    public const string Symbol = "..";

    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];

    /// <summary>The footnote that explains <see cref="Symbol"/>, for minimum group size <paramref name="k"/>.</summary>
    public static string Footnote(string language, int k) => language switch
    {
        "sv" => $"{Symbol} = dolt för att skydda anonymiteten: uppgiften kunde avslöja en grupp på färre än {k} personer eller om en grupp har några alls.",
        "en" => $"{Symbol} = hidden to protect anonymity: the number could reveal a group of fewer than {k} people, or whether a group has anyone at all.",
        _ => $"{Symbol} = piilotettu nimettömyyden suojaamiseksi: luku voisi paljastaa alle {k} hengen ryhmän tai sen, onko ryhmässä ketään.",
    };
}
