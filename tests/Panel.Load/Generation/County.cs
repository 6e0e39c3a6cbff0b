using Panel.Membership.Members;

namespace Panel.Load.Generation;

/// <summary>What kind of place a municipality is; its age structure follows from it.</summary>
public enum Settlement
{
    /// <summary>The regional city: students and young adults.</summary>
    City,
    /// <summary>Commuter towns around the city: families.</summary>
    Suburban,
    /// <summary>Small towns: older than the city.</summary>
    Town,
    /// <summary>Rural municipalities: the oldest.</summary>
    Rural,
}

public sealed record Municipality(string Name, int Population, Settlement Kind);

/// <summary>
/// Approximate population figures of a wellbeing services county, enough to make realistic demo and
/// benchmark data: the share of each ten-year age band (of the whole population, so the under-15s are
/// the rest) by kind of place, and the share of women in each band.
/// </summary>
public sealed class County
{
    public static readonly IReadOnlyList<string> Bands = AgeBands.All;

    /// <summary>Pirkanmaa, the county in Membership's default configuration (populations rounded).</summary>
    public static readonly County Pirkanmaa = new("Pirkanmaa",
    [
        new("Tampere", 250_000, Settlement.City),
        new("Nokia", 35_000, Settlement.Suburban),
        new("Ylöjärvi", 33_000, Settlement.Suburban),
        new("Kangasala", 33_000, Settlement.Suburban),
        new("Lempäälä", 24_000, Settlement.Suburban),
        new("Pirkkala", 20_000, Settlement.Suburban),
        new("Vesilahti", 4_500, Settlement.Suburban),
        new("Sastamala", 24_000, Settlement.Town),
        new("Valkeakoski", 21_000, Settlement.Town),
        new("Akaa", 16_000, Settlement.Town),
        new("Hämeenkyrö", 10_000, Settlement.Town),
        new("Mänttä-Vilppula", 9_500, Settlement.Town),
        new("Orivesi", 9_000, Settlement.Town),
        new("Ikaalinen", 7_000, Settlement.Town),
        new("Parkano", 6_000, Settlement.Town),
        new("Virrat", 6_500, Settlement.Rural),
        new("Pälkäne", 6_500, Settlement.Rural),
        new("Urjala", 4_700, Settlement.Rural),
        new("Ruovesi", 4_000, Settlement.Rural),
        new("Punkalaidun", 2_700, Settlement.Rural),
        new("Kuhmoinen", 2_100, Settlement.Rural),
        new("Juupajoki", 1_800, Settlement.Rural),
        new("Kihniö", 1_800, Settlement.Rural),
    ]);

    private static readonly Dictionary<Settlement, double[]> BandShares = new()
    {
        //                       15-24  25-34  35-44  45-54  55-64  65-74  75-84  85+
        [Settlement.City] = [0.135, 0.175, 0.135, 0.110, 0.110, 0.110, 0.070, 0.028],
        [Settlement.Suburban] = [0.110, 0.110, 0.130, 0.120, 0.125, 0.125, 0.075, 0.025],
        [Settlement.Town] = [0.100, 0.100, 0.110, 0.115, 0.145, 0.165, 0.100, 0.035],
        [Settlement.Rural] = [0.085, 0.080, 0.090, 0.110, 0.160, 0.200, 0.120, 0.045],
    };

    /// <summary>Women's share of each band: even when young, more women among the old.</summary>
    private static readonly double[] WomenShare = [0.49, 0.48, 0.485, 0.49, 0.505, 0.52, 0.56, 0.68];

    public County(string name, IReadOnlyList<Municipality> municipalities)
    {
        Name = name;
        Municipalities = municipalities;
    }

    public string Name { get; }
    public IReadOnlyList<Municipality> Municipalities { get; }

    /// <summary>Residents of one municipality, age band (index into <see cref="Bands"/>) and gender ("woman" or "man").</summary>
    public int Population(Municipality m, int band, string gender)
    {
        var inBand = m.Population * BandShares[m.Kind][band];
        var women = WomenShare[band];
        return (int)Math.Round(inBand * (gender == "woman" ? women : 1 - women));
    }

    /// <summary>
    /// The population reference a coordinator uploads: <c>municipality,age_band,gender,count</c>, one line per
    /// municipality, age band and gender (woman, man).
    /// </summary>
    public string PopulationReferenceCsv()
    {
        var csv = new System.Text.StringBuilder("municipality,age_band,gender,count\n");
        foreach (var m in Municipalities)
        {
            for (var band = 0; band < Bands.Count; band++)
            {
                foreach (var gender in (string[])["woman", "man"])
                {
                    csv.Append(m.Name).Append(',').Append(Bands[band]).Append(',').Append(gender).Append(',')
                        .Append(Population(m, band, gender).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return csv.ToString();
    }
}
