using Panel.Privacy;

namespace Panel.Reporting.Representativeness;

/// <summary>
/// The panel counts the representativeness answer shows (null: hidden), checked against the sums a reader can
/// form from them. It starts from the table suppressed by <see cref="SmallCountSuppression"/> and then looks at
/// the lines of the answer itself, which are not all lines of that table:
/// <list type="bullet">
/// <item>a municipality, age band or gender against its groups (and, for the first two, its members of other
/// gender, who are in no group): what is hidden under a shown total must be 0 or at least k;</item>
/// <item>the panel against its municipalities, its age bands, or its genders (and the members of other gender),
/// down to the groups: the panel minus the values shown minus the groups shown under the hidden values is what
/// the hidden groups and other members add up to, and must be 0 or at least k;</item>
/// <item>a number that is the only unknown of such a line can be worked out, so it is shown (it says nothing
/// new) once it is 0 or at least k.</item>
/// </list>
/// The panel composition (municipality × age band over all genders) is published from the same object: its cell
/// is shown only when the woman, man and "other" numbers of the cell are all known (<see cref="Cell"/>), so it
/// gives away the cell's "other" members, which the audit therefore counts as shown (<see cref="Others"/>): they
/// come off the hidden part of their municipality and age band, and off the members of other gender in all.
/// A municipality or age band whose groups and "other" numbers are all known but one shows that one too.
/// Where a line breaks the rule, another value of the line is hidden with it (one with at least k hidden under
/// it). Should that ever not be possible, every panel count is hidden.
/// </summary>
internal sealed class PublishedPanel
{
    private const int Woman = 0, Man = 1, Other = 2;

    private readonly int[,,] _members; // [municipality, age band, woman / man / other]
    private readonly int _k, _m, _a;
    private readonly int[] _municipalityValues, _ageBandValues;
    private readonly int[] _genderValues = new int[2];
    private readonly int _otherTotal, _total;

    public int? Total { get; private set; }
    public int?[] Municipalities { get; }
    public int?[] AgeBands { get; }
    /// <summary>Woman, man.</summary>
    public int?[] Genders { get; }
    /// <summary>[municipality, age band, woman / man].</summary>
    public int?[,,] Groups { get; }
    /// <summary>[municipality, age band]: members of other gender, known to a reader of the composition.</summary>
    public int?[,] Others { get; }

    /// <summary>
    /// Members of one municipality and age band (all genders): shown when its three parts are known, or when it is
    /// the only unknown cell of a municipality or age band shown (it says nothing new).
    /// </summary>
    public int? Cell(int m, int a) =>
        _cellKnown[m, a] ? CellValue(m, a)
        : Groups[m, a, Woman] is { } w && Groups[m, a, Man] is { } n && Others[m, a] is { } o ? w + n + o : null;

    private readonly bool[,] _cellKnown;

    private int CellValue(int m, int a) => _members[m, a, Woman] + _members[m, a, Man] + _members[m, a, Other];

    /// <summary>The known part of a cell: all of it when the cell is known, else its parts shown.</summary>
    private int KnownOfCell(int m, int a) => Cell(m, a) ?? (Groups[m, a, Woman] ?? 0) + (Groups[m, a, Man] ?? 0) + (Others[m, a] ?? 0);

    /// <param name="members">[municipality, age band, woman / man / other], the numbers of <paramref name="table"/>.</param>
    /// <param name="table">Rows municipalities; columns each age band's woman, man, other, in that order.</param>
    public PublishedPanel(int[,,] members, SuppressedTable table, int k)
    {
        _members = members;
        _k = k;
        _m = members.GetLength(0);
        _a = members.GetLength(1);
        _municipalityValues = new int[_m];
        _ageBandValues = new int[_a];
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        for (var l = 0; l < 3; l++)
        {
            var n = members[m, a, l];
            _municipalityValues[m] += n;
            _ageBandValues[a] += n;
            _total += n;
            if (l == Other) _otherTotal += n;
            else _genderValues[l] += n;
        }

        // A value of the answer is shown when the table shows it, or when every table number it adds up is shown.
        int? SumOfShown(IEnumerable<int?> parts)
        {
            var list = parts.ToList();
            return list.Any(p => p is null) ? null : list.Sum(p => p!.Value);
        }

        Total = table.Total;
        Municipalities = Enumerable.Range(0, _m).Select(m => table.RowTotals[m]).ToArray();
        AgeBands = Enumerable.Range(0, _a).Select(a => SumOfShown(Enumerable.Range(0, 3).Select(l => table.ColumnTotals[a * 3 + l]))).ToArray();
        Genders = Enumerable.Range(0, 2).Select(g => SumOfShown(Enumerable.Range(0, _a).Select(a => table.ColumnTotals[a * 3 + g]))).ToArray();
        Groups = new int?[_m, _a, 2];
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        for (var g = 0; g < 2; g++)
        {
            Groups[m, a, g] = table.Cells[m][a * 3 + g];
        }

        // The composition shows a cell whose three table numbers are all shown, and so its "other" members.
        Others = new int?[_m, _a];
        _cellKnown = new bool[_m, _a];
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        {
            if (Groups[m, a, Woman] is not null && Groups[m, a, Man] is not null) Others[m, a] = table.Cells[m][a * 3 + Other];
        }

        if (!Audit())
        {
            HideAll();
        }
    }

    private bool Small(long n) => n > 0 && n < _k;

    // What is hidden under a value: the value minus its groups shown (hidden groups and, for a municipality or an
    // age band, members of other gender). The sums of groups shown are kept up to date as groups are shown.
    private int[] _shownByMunicipality = [], _shownByAgeBand = [], _shownByGender = [];
    private int _shownOthers;
    private bool _groupsChanged = true;

    private int UnderMunicipality(int m) => _municipalityValues[m] - ShownSums()._shownByMunicipality[m];
    private int UnderAgeBand(int a) => _ageBandValues[a] - ShownSums()._shownByAgeBand[a];
    private int UnderGender(int g) => _genderValues[g] - ShownSums()._shownByGender[g];

    private PublishedPanel ShownSums()
    {
        if (_groupsChanged)
        {
            _shownByMunicipality = new int[_m];
            _shownByAgeBand = new int[_a];
            _shownByGender = new int[2];
            _shownOthers = 0;
            for (var m = 0; m < _m; m++)
            for (var a = 0; a < _a; a++)
            for (var g = 0; g < 2; g++)
            {
                if (Groups[m, a, g] is not { } n) continue;
                _shownByGender[g] += n;
            }

            for (var m = 0; m < _m; m++)
            for (var a = 0; a < _a; a++)
            {
                var known = KnownOfCell(m, a);
                _shownByMunicipality[m] += known;
                _shownByAgeBand[a] += known;
                _shownOthers += Others[m, a] ?? 0;
            }

            _groupsChanged = false;
        }

        return this;
    }

    private enum Outcome
    {
        Holds,
        Changed,
        Broken,
    }

    /// <summary>Applies the rules until nothing changes; false when a line cannot be mended.</summary>
    private bool Audit()
    {
        for (var round = 0; round < 10_000; round++)
        {
            switch (Step())
            {
                case Outcome.Holds: return true;
                case Outcome.Broken: return false;
            }
        }

        return false;
    }

    private Outcome Step()
    {
        // A value whose hidden part is small is hidden itself; its family then has to cover it.
        for (var m = 0; m < _m; m++)
        {
            if (Municipalities[m] is not null && Small(UnderMunicipality(m))) { Municipalities[m] = null; return Outcome.Changed; }
        }

        for (var a = 0; a < _a; a++)
        {
            if (AgeBands[a] is not null && Small(UnderAgeBand(a))) { AgeBands[a] = null; return Outcome.Changed; }
        }

        for (var g = 0; g < 2; g++)
        {
            if (Genders[g] is not null && Small(UnderGender(g))) { Genders[g] = null; return Outcome.Changed; }
        }

        // A gender against its groups has no other part: one hidden group beside a shown gender is known.
        for (var g = 0; g < 2; g++)
        {
            var hidden = HiddenGroups(g);
            if (Genders[g] is not null && hidden.Count == 1)
            {
                var (m, a) = hidden[0];
                if (Small(_members[m, a, g])) { Genders[g] = null; } else { Groups[m, a, g] = _members[m, a, g]; _groupsChanged = true; }
                return Outcome.Changed;
            }

            if (Genders[g] is null && hidden.Count == 0)
            {
                Genders[g] = _genderValues[g];
                return Outcome.Changed;
            }
        }

        // A municipality or age band shown with one unknown under it (a group or an "other" number): it is known.
        for (var m = 0; m < _m; m++)
        {
            if (Municipalities[m] is not null && Lone(Unknowns(m, null)) is { } o) return o;
        }

        for (var a = 0; a < _a; a++)
        {
            if (AgeBands[a] is not null && Lone(Unknowns(null, a)) is { } o) return o;
        }

        // A municipality or age band shown with one unknown cell: the cell is known, and so what its hidden parts add
        // up to, which must be 0 or at least k (else the value is hidden); a lone hidden part of it is then known too.
        for (var m = 0; m < _m; m++)
        {
            var unknown = Enumerable.Range(0, _a).Where(a => Cell(m, a) is null).ToList();
            if (Municipalities[m] is not null && unknown.Count == 1 && KnowCell(m, unknown[0]) is { } o) return o;
            if (Municipalities[m] is not null && unknown.Count == 1) { Municipalities[m] = null; return Outcome.Changed; }
        }

        for (var a = 0; a < _a; a++)
        {
            var unknown = Enumerable.Range(0, _m).Where(m => Cell(m, a) is null).ToList();
            if (AgeBands[a] is not null && unknown.Count == 1 && KnowCell(unknown[0], a) is { } o) return o;
            if (AgeBands[a] is not null && unknown.Count == 1) { AgeBands[a] = null; return Outcome.Changed; }
        }

        // A municipality or age band hidden whose cells are all known is their sum: shown, as it says nothing new.
        for (var m = 0; m < _m; m++)
        {
            if (Municipalities[m] is null && Enumerable.Range(0, _a).All(a => Cell(m, a) is not null))
            {
                if (Small(_municipalityValues[m])) return Outcome.Broken;
                Municipalities[m] = _municipalityValues[m];
                return Outcome.Changed;
            }
        }

        for (var a = 0; a < _a; a++)
        {
            if (AgeBands[a] is null && Enumerable.Range(0, _m).All(m => Cell(m, a) is not null))
            {
                if (Small(_ageBandValues[a])) return Outcome.Broken;
                AgeBands[a] = _ageBandValues[a];
                return Outcome.Changed;
            }
        }

        // A known cell with one hidden part: the part is known.
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        {
            if (_cellKnown[m, a] && Lone(Unknowns(m, a)) is { } o) return o;
        }

        // The members of other gender in all are the panel minus the genders; one "other" number unknown is known.
        if (Total is not null && Genders[Woman] is not null && Genders[Man] is not null && Lone(Unknowns(null, null, othersOnly: true)) is { } lone)
        {
            return lone;
        }

        var hiddenOthers = _otherTotal - ShownSums()._shownOthers;
        var outcome = Family(Municipalities, _municipalityValues, UnderMunicipality, closed: true, extraValue: 0);
        if (outcome == Outcome.Holds) outcome = Family(AgeBands, _ageBandValues, UnderAgeBand, closed: true, extraValue: 0);
        if (outcome == Outcome.Holds) outcome = Family(Genders, _genderValues, UnderGender, closed: false, extraValue: hiddenOthers);
        return outcome;
    }

    /// <summary>
    /// The panel against one family of values (municipalities, age bands, genders). A family is closed when its
    /// values add up to the panel; the genders do not (members of other gender are in none: those the composition
    /// does not give away are the extra value).
    /// </summary>
    private Outcome Family(int?[] values, int[] truth, Func<int, int> under, bool closed, int extraValue)
    {
        var hidden = Enumerable.Range(0, values.Length).Where(i => values[i] is null).ToList();
        if (Total is null)
        {
            if (closed && hidden.Count == 0 && values.Length > 0)
            {
                // The values add up to the panel, so the panel is known.
                if (Small(_total)) return Outcome.Broken;
                Total = _total;
                return Outcome.Changed;
            }

            return Outcome.Holds;
        }

        // The panel minus the values shown: what the hidden values (and the other members) add up to; and minus
        // the groups shown under those values, what their hidden groups (and the other members) add up to.
        var hiddenValues = hidden.Sum(i => truth[i]) + extraValue;
        var hiddenUnder = hidden.Sum(under) + extraValue;
        if (Small(hiddenValues) || Small(hiddenUnder))
        {
            // Hide one more value, one with at least k hidden under it, the smallest such.
            var partner = Enumerable.Range(0, values.Length)
                .Where(i => values[i] is not null && under(i) >= _k)
                .OrderBy(under).ThenBy(i => i)
                .Cast<int?>().FirstOrDefault();
            if (partner is not { } p) return Outcome.Broken;
            values[p] = null;
            return Outcome.Changed;
        }

        if (closed && hidden.Count == 1)
        {
            // The only hidden value is the panel minus the rest: shown, as it says nothing new.
            values[hidden[0]] = truth[hidden[0]];
            return Outcome.Changed;
        }

        return Outcome.Holds;
    }

    /// <summary>Marks a cell known when what its hidden parts add up to is 0 or at least k; null when it is small.</summary>
    private Outcome? KnowCell(int m, int a)
    {
        var hidden = CellValue(m, a) - KnownOfCell(m, a);
        if (Small(hidden)) return null;
        _cellKnown[m, a] = true;
        _groupsChanged = true;
        return Outcome.Changed;
    }

    /// <summary>The unknown groups and "other" numbers of a municipality, an age band, or (othersOnly) of the panel.</summary>
    private List<(int M, int A, int L)> Unknowns(int? municipality, int? ageBand, bool othersOnly = false)
    {
        var list = new List<(int, int, int)>();
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        {
            if ((municipality ?? m) != m || (ageBand ?? a) != a) continue;
            if (!othersOnly && Groups[m, a, Woman] is null) list.Add((m, a, Woman));
            if (!othersOnly && Groups[m, a, Man] is null) list.Add((m, a, Man));
            if (Others[m, a] is null) list.Add((m, a, Other));
        }

        return list;
    }

    /// <summary>
    /// One unknown left in a line whose sum is known: shown, as it says nothing new. A small one is left to the rules
    /// that hide the line's sum (it is the hidden part under a value, or the panel minus the genders).
    /// </summary>
    private Outcome? Lone(List<(int M, int A, int L)> unknowns)
    {
        if (unknowns.Count != 1) return null;
        var (m, a, l) = unknowns[0];
        var n = _members[m, a, l];
        if (Small(n)) return null;
        if (l == Other) Others[m, a] = n; else Groups[m, a, l] = n;
        _groupsChanged = true;
        return Outcome.Changed;
    }

    private List<(int M, int A)> HiddenGroups(int g)
    {
        var list = new List<(int, int)>();
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        {
            if (Groups[m, a, g] is null) list.Add((m, a));
        }

        return list;
    }

    private void HideAll()
    {
        Total = null;
        Array.Fill(Municipalities, null);
        Array.Fill(AgeBands, null);
        Array.Fill(Genders, null);
        for (var m = 0; m < _m; m++)
        for (var a = 0; a < _a; a++)
        {
            Others[m, a] = null;
            _cellKnown[m, a] = false;
            for (var g = 0; g < 2; g++)
            {
                Groups[m, a, g] = null;
            }
        }

        _groupsChanged = true;
    }
}
