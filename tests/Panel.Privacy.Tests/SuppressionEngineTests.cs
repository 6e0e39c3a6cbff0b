using Panel.Privacy;

namespace Panel.Privacy.Tests;

/// <summary>
/// The engine against its independent auditor (<see cref="SuppressionAuditor"/>): every answer, of the fast path
/// alone and of the production path, leaves every small count free to reach k; the exact model's answers equal a
/// brute-force search over every choice of hidden cells on small tables.
/// </summary>
public sealed class SuppressionEngineTests
{
    private static readonly SuppressionOptions HeuristicOnly = new(Exact: false);

    [Fact]
    public void Every_answer_of_the_fast_path_passes_the_audit_on_random_tables()
    {
        var random = new Random(13);
        for (var round = 0; round < 400; round++)
        {
            var (counts, k) = RandomTable(random, maxRows: 6, maxColumns: 9);
            var zeros = round % 5 == 4 ? ZeroCells.Protected : ZeroCells.Shown;
            var result = Run(counts, k, HeuristicOnly with { Zeros = zeros });
            var audit = SuppressionAuditor.Audit(result.Table, counts, k, zeros);
            Assert.True(audit.Passed, $"round {round}: {string.Join("; ", audit.Failures)}");
            Assert.NotEqual(SuppressionMethod.Fallback, result.Method);
        }
    }

    [Fact]
    public void Every_answer_of_the_production_path_passes_the_audit_on_random_tables()
    {
        var random = new Random(2026);
        for (var round = 0; round < 100; round++)
        {
            var (counts, k) = RandomTable(random, maxRows: 8, maxColumns: 12);
            var zeros = round % 4 == 3 ? ZeroCells.Protected : ZeroCells.Shown;
            var result = Run(counts, k, new SuppressionOptions(zeros));
            var audit = SuppressionAuditor.Audit(result.Table, counts, k, zeros);
            Assert.True(audit.Passed, $"round {round}: {string.Join("; ", audit.Failures)}");
            Assert.NotEqual(SuppressionMethod.Fallback, result.Method);
        }
    }

    [Fact]
    public void The_exact_model_hides_as_little_as_a_brute_force_search_on_small_tables()
    {
        var random = new Random(7);
        var compared = 0;
        for (var round = 0; round < 40; round++)
        {
            var (counts, k) = RandomTable(random, maxRows: 2, maxColumns: 3);
            var zeros = round % 3 == 2 ? ZeroCells.Protected : ZeroCells.Shown;
            var rows = Labels("r", counts.GetLength(0));
            var columns = Labels("c", counts.GetLength(1));
            var exact = SmallCountSuppression.Optimal(rows, columns, counts, k, zeros, TimeSpan.FromMinutes(1));
            Assert.NotNull(exact);
            var (people, cells) = BruteForce(counts, k, zeros);
            Assert.Equal((people, cells), (exact.PeopleHidden, exact.CellsHidden));
            Assert.True(SuppressionAuditor.Audit(exact.Table, counts, k, zeros).Passed);
            compared += cells > 0 ? 1 : 0;
        }

        Assert.True(compared >= 20, $"only {compared} tables needed any hiding");
    }

    [Fact]
    public void A_large_cell_is_not_hidden_when_smaller_ones_protect_the_small_count()
    {
        // The coordinator's case: a men's count of hundreds hidden to protect a small one. Here the 3 can be
        // protected by the 6 and 7 beside it (people hidden 3 + 6 + 7 + 9 = 25), never by the 400s.
        var counts = new[,] { { 3, 6, 420 }, { 7, 9, 410 }, { 30, 40, 380 } };
        var result = Run(counts, 5, SuppressionOptions.Default);

        Assert.Equal(SuppressionMethod.Optimal, result.Method);
        Assert.Equal([null, null, 420], result.Table.Cells[0]);
        Assert.Equal([null, null, 410], result.Table.Cells[1]);
        Assert.Equal(25, result.PeopleHidden);
        Assert.Equal(1305, result.Table.Total);
    }

    [Fact]
    public void When_every_count_is_below_k_every_non_zero_number_is_hidden_and_the_audit_passes()
    {
        var counts = new[,] { { 1, 2 }, { 0, 1 } };
        var result = Run(counts, 5, SuppressionOptions.Default);

        Assert.Null(result.Table.Total);
        Assert.Equal(0, result.Table.Cells[1][0]); // zeros are shown by default
        Assert.True(SuppressionAuditor.Audit(result.Table, counts, 5).Passed);
    }

    [Fact]
    public void With_zeros_protected_a_zero_is_hidden_too_and_can_read_as_k()
    {
        var counts = new[,] { { 0, 12, 30 }, { 14, 20, 25 }, { 15, 16, 40 } };
        var result = Run(counts, 5, new SuppressionOptions(ZeroCells.Protected));
        var audit = SuppressionAuditor.Audit(result.Table, counts, 5, ZeroCells.Protected);

        Assert.Null(result.Table.Cells[0][0]);
        Assert.True(audit.Passed, string.Join("; ", audit.Failures));
        var zero = audit.Ranges.Single(r => r.Row == 0 && r.Column == 0);
        Assert.True(zero.Min <= 0 && zero.Max >= 5);
        // Shown zeros: nothing needs hiding in the same table.
        Assert.Equal(SuppressionMethod.None, Run(counts, 5, SuppressionOptions.Default).Method);
    }

    [Fact]
    public void A_one_row_table_protects_its_small_count_with_the_cheapest_option_and_its_total()
    {
        // One row: each column total equals its cell. The 2 can only grow with a column total, so another
        // option (cell and column total) or the row and grand totals must move with it; 40 + 40 beats 141 + 141.
        var counts = new[,] { { 2, 40, 99 } };
        var result = Run(counts, 5, SuppressionOptions.Default);

        Assert.Equal([null, null, 99], result.Table.Cells[0]);
        Assert.Equal(141, result.Table.Total);
        Assert.Equal(2 + 2 + 40 + 40, result.PeopleHidden);
        Assert.True(SuppressionAuditor.Audit(result.Table, counts, 5).Passed);
    }

    [Fact]
    public void With_k_3_a_count_of_3_is_shown_and_a_2_is_protected_up_to_3()
    {
        var counts = new[,] { { 2, 3, 10 }, { 3, 8, 9 } };
        var result = Run(counts, 3, SuppressionOptions.Default);
        var audit = SuppressionAuditor.Audit(result.Table, counts, 3);

        Assert.Null(result.Table.Cells[0][0]);
        Assert.True(audit.Passed, string.Join("; ", audit.Failures));
        Assert.True(audit.Ranges.Single(r => r.Row == 0 && r.Column == 0).Max >= 3);
        Assert.Equal(2 + 3 + 3 + 8, result.PeopleHidden); // the 2 with the 3s beside it and the 8 across
    }

    [Fact]
    public void The_auditor_fails_a_table_where_two_hidden_counts_add_up_to_k()
    {
        // The old line rule allowed this: 3 and 2 hidden in a row of total 15; as each is at least 1, the 3 is at
        // most 4, so a reader knows it is below 5.
        var counts = new[,] { { 3, 2, 10 } };
        var table = new SuppressedTable(["r"], ["a", "b", "c"], [[null, null, 10]], [15], [null, null, 10], 15);
        var audit = SuppressionAuditor.Audit(table, counts, 5);

        Assert.False(audit.Passed);
        Assert.Equal(4, audit.Ranges.Single(r => r.Row == 0 && r.Column == 0).Max, 6);
    }

    [Fact]
    public void The_auditor_fails_a_table_that_shows_a_wrong_or_small_number()
    {
        var counts = new[,] { { 3, 20 }, { 20, 20 } };
        var showsSmall = new SuppressedTable(["a", "b"], ["x", "y"], [[3, 20], [20, 20]], [23, 40], [23, 40], 63);
        var showsWrong = new SuppressedTable(["a", "b"], ["x", "y"], [[null, 20], [21, 20]], [null, 40], [null, 40], null);

        Assert.False(SuppressionAuditor.Audit(showsSmall, counts, 5).Passed);
        Assert.False(SuppressionAuditor.Audit(showsWrong, counts, 5).Passed);
    }

    [Fact]
    public void With_every_total_fixed_shown_the_small_counts_are_protected_by_inner_numbers_only()
    {
        // Survey results fix the group sizes and the overall counts before the tables: only inner numbers may hide.
        var counts = new[,] { { 3, 20, 30 }, { 15, 25, 12 }, { 22, 8, 40 } };
        var fixedCells = FixedTotals(counts, FixedCell.Shown);

        var (hidden, unmet) = SmallCountSuppression.HideWithin(counts, 5, fixedCells, SuppressionOptions.Default);

        Assert.Empty(unmet);
        Assert.True(hidden[0, 0]);
        for (var i = 0; i <= 3; i++) Assert.False(hidden[i, 3]);
        for (var j = 0; j <= 3; j++) Assert.False(hidden[3, j]);
        var table = ToTable(counts, hidden);
        var audit = SuppressionAuditor.Audit(table, counts, 5);
        Assert.True(audit.Passed, string.Join("; ", audit.Failures));
        // The cheapest protection: the 3 with the 8 (row 2), and one number each of row 0 and column 1 beside them.
        Assert.Equal(4, hidden.Cast<bool>().Count(h => h));
    }

    [Fact]
    public void A_shown_group_whose_counts_are_all_small_is_reported_as_a_protection_no_choice_can_give()
    {
        // A group of 5 (shown elsewhere) split 3 and 2: with its size shown, neither count can be made to reach 5.
        var counts = new[,] { { 3, 2 }, { 40, 50 } };
        var (hidden, unmet) = SmallCountSuppression.HideWithin(counts, 5, FixedTotals(counts, FixedCell.Shown), SuppressionOptions.Default);

        Assert.Equal([(0, 0), (0, 1)], unmet.Order());
        Assert.True(hidden[0, 0] && hidden[0, 1]);
    }

    [Fact]
    public void Random_tables_with_fixed_totals_pass_the_audit_wherever_the_engine_says_it_could_protect()
    {
        var random = new Random(99);
        var checkedTables = 0;
        for (var round = 0; round < 150; round++)
        {
            var (counts, k) = RandomTable(random, maxRows: 6, maxColumns: 8);
            // As results fix them: a total is shown when it is 0 or at least k, else hidden (decided elsewhere).
            var fixedCells = FixedTotals(counts, FixedCell.Shown);
            var totals = ToTable(counts, new bool[counts.GetLength(0) + 1, counts.GetLength(1) + 1]);
            for (var i = 0; i < counts.GetLength(0); i++) if (totals.RowTotals[i] is > 0 and var v && v < k) fixedCells[i, counts.GetLength(1)] = FixedCell.Hidden;
            for (var j = 0; j < counts.GetLength(1); j++) if (totals.ColumnTotals[j] is > 0 and var v && v < k) fixedCells[counts.GetLength(0), j] = FixedCell.Hidden;
            if (totals.Total < k) fixedCells[counts.GetLength(0), counts.GetLength(1)] = FixedCell.Hidden;
            var (hidden, unmet) = SmallCountSuppression.HideWithin(counts, k, fixedCells, SuppressionOptions.Default);
            var audit = SuppressionAuditor.Audit(ToTable(counts, hidden), counts, k);
            // Totals fixed hidden are protected where they are decided, and the unmet ones were reported.
            var excused = unmet.Concat(Enumerable.Range(0, fixedCells.Length).Select(n => (Row: n / fixedCells.GetLength(1), Column: n % fixedCells.GetLength(1)))
                .Where(p => fixedCells[p.Row, p.Column] == FixedCell.Hidden)).Select(p => $"({p.Row},{p.Column})").ToHashSet();
            var failing = audit.Failures.Where(f => !excused.Contains(f[..(f.IndexOf(')') + 1)])).ToList();
            Assert.True(failing.Count == 0, $"round {round}: {string.Join("; ", failing)}");
            checkedTables += unmet.Count == 0 && hidden.Cast<bool>().Any(h => h) ? 1 : 0;
        }

        Assert.True(checkedTables >= 30, $"only {checkedTables} tables were fully protected with something hidden");
    }

    private static FixedCell[,] FixedTotals(int[,] counts, FixedCell state)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var fixedCells = new FixedCell[r + 1, c + 1];
        for (var i = 0; i <= r; i++) fixedCells[i, c] = state;
        for (var j = 0; j <= c; j++) fixedCells[r, j] = state;
        return fixedCells;
    }

    private static SuppressedTable ToTable(int[,] counts, bool[,] hidden)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        int? Show(int i, int j) => hidden[i, j] ? null
            : i < r && j < c ? counts[i, j]
            : i < r ? Enumerable.Range(0, c).Sum(x => counts[i, x])
            : j < c ? Enumerable.Range(0, r).Sum(x => counts[x, j])
            : counts.Cast<int>().Sum();
        return new SuppressedTable(Labels("r", r), Labels("c", c),
            Enumerable.Range(0, r).Select(i => Enumerable.Range(0, c).Select(j => Show(i, j)).ToArray()).ToArray(),
            Enumerable.Range(0, r).Select(i => Show(i, c)).ToArray(),
            Enumerable.Range(0, c).Select(j => Show(r, j)).ToArray(),
            Show(r, c));
    }

    private static SuppressionResult Run(int[,] counts, int k, SuppressionOptions options) =>
        SmallCountSuppression.Run(Labels("r", counts.GetLength(0)), Labels("c", counts.GetLength(1)), counts, k, options);

    private static List<string> Labels(string prefix, int n) => Enumerable.Range(0, n).Select(i => prefix + i).ToList();

    /// <summary>Skewed counts as survey results have: many zeros and small counts beside large ones.</summary>
    private static (int[,] Counts, int K) RandomTable(Random random, int maxRows, int maxColumns)
    {
        var rows = random.Next(1, maxRows + 1);
        var columns = random.Next(1, maxColumns + 1);
        var k = random.Next(3, 11);
        var counts = new int[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                counts[i, j] = random.Next(10) switch
                {
                    < 2 => 0,
                    < 6 => random.Next(1, k),
                    < 9 => random.Next(k, 4 * k),
                    _ => random.Next(50, 500),
                };
            }
        }

        return (counts, k);
    }

    /// <summary>Every choice of hidden numbers, in order of cost, audited until one passes: (people, cells).</summary>
    private static (long People, int Cells) BruteForce(int[,] counts, int k, ZeroCells zeros)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var values = new long[(r + 1) * (c + 1)];
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < c; j++)
            {
                values[i * (c + 1) + j] = counts[i, j];
                values[i * (c + 1) + c] += counts[i, j];
                values[r * (c + 1) + j] += counts[i, j];
                values[r * (c + 1) + c] += counts[i, j];
            }
        }

        var sensitive = values.Select(v => v < k && (v > 0 || zeros == ZeroCells.Protected)).ToArray();
        var free = Enumerable.Range(0, values.Length).Where(n => !sensitive[n]).ToArray();
        var choices = Enumerable.Range(0, 1 << free.Length)
            .Select(mask => Enumerable.Range(0, values.Length).Select(n => sensitive[n] || (Array.IndexOf(free, n) is var f && f >= 0 && (mask >> f & 1) == 1)).ToArray())
            .Select(h => (Hidden: h, People: values.Where((_, n) => h[n]).Sum(), Cells: h.Count(x => x)))
            .OrderBy(x => x.People).ThenBy(x => x.Cells);
        foreach (var (hidden, people, cells) in choices)
        {
            if (cells == 0)
            {
                return (0, 0);
            }

            int? Show(int i, int j) => hidden[i * (c + 1) + j] ? null : (int)values[i * (c + 1) + j];
            var table = new SuppressedTable(Labels("r", r), Labels("c", c),
                Enumerable.Range(0, r).Select(i => Enumerable.Range(0, c).Select(j => Show(i, j)).ToArray()).ToArray(),
                Enumerable.Range(0, r).Select(i => Show(i, c)).ToArray(),
                Enumerable.Range(0, c).Select(j => Show(r, j)).ToArray(),
                Show(r, c));
            if (SuppressionAuditor.Audit(table, counts, k, zeros).Passed)
            {
                return (people, cells);
            }
        }

        throw new InvalidOperationException("Even hiding everything fails the audit.");
    }
}
