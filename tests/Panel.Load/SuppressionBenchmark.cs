using System.Diagnostics;
using System.Globalization;
using Panel.Privacy;

namespace Panel.Load;

/// <summary>
/// suppression: over --tables generated tables shaped like Panel's results (a profile attribute's groups × a
/// question's options: age band 8, municipality 15, gender 3, language 3, client status 3 groups; 2 to 30 options
/// with skewed shares; 10 to 5 000 respondents, log-normal around 250), runs the production engine
/// (<see cref="SmallCountSuppression.Run"/>), the exact optimum alone (--exact-limit-ms per table) and the old
/// greedy, and prints the numbers (cells, totals included) and people hidden by each, the ratios to the optimum
/// (target: production ≤ 1.1 × optimum) and the time per table. Every production table is audited
/// (<see cref="SuppressionAuditor"/>); the old greedy's are audited too, to show what it let through. Exits non-zero
/// when it measured nothing or a production table failed its audit.
/// </summary>
internal static class SuppressionBenchmark
{
    private static readonly (string Name, double[] Shares)[] Dimensions =
    [
        ("age band", [0.08, 0.13, 0.15, 0.15, 0.16, 0.16, 0.12, 0.05]),
        ("municipality", Enumerable.Range(1, 15).Select(i => 1 / Math.Pow(i, 1.1)).ToArray()),
        ("gender", [0.53, 0.46, 0.01]),
        ("language", [0.86, 0.06, 0.08]),
        ("client status", [0.4, 0.2, 0.4]),
    ];

    public static int Run(Args a)
    {
        var tables = a.Int("--tables", 2000);
        var seed = a.Int("--seed", 2026);
        var k = a.Int("--k", 5);
        var every = Math.Max(1, a.Int("--every", 250));
        var trace = a.Value("--trace") is "true";
        var exactLimit = TimeSpan.FromMilliseconds(a.Int("--exact-limit-ms", 20_000));
        var zeros = a.Value("--zeros") is "protected" ? ZeroCells.Protected : ZeroCells.Shown;
        var options = new SuppressionOptions(zeros, a.Value("--budget-ms") is { } b ? TimeSpan.FromMilliseconds(int.Parse(b, CultureInfo.InvariantCulture)) : null);
        var random = new Random(seed);
        Console.WriteLine($"suppression: {tables} tables, k = {k}, zeros {zeros}, production budget {options.Budget.TotalMilliseconds} ms, exact limit {exactLimit.TotalSeconds} s, seed {seed}");

        var stats = new Dictionary<string, Totals> { ["production"] = new(), ["exact"] = new(), ["old greedy"] = new() };
        var compared = 0;
        var unproven = 0;
        var auditFailures = 0;
        var greedyFailures = 0;
        var methods = new Dictionary<SuppressionMethod, int>();
        var productionEqualsOptimum = 0;
        var worst = 0.0;
        var cellsInTables = 0L;
        var primaryCells = 0L;
        var done = 0;
        for (var n = 0; n < tables; n++)
        {
            done++;
            var (dimension, counts) = Generate(random);
            var rows = Enumerable.Range(0, counts.GetLength(0)).Select(i => $"{dimension} {i}").ToList();
            var columns = Enumerable.Range(0, counts.GetLength(1)).Select(j => $"option {j}").ToList();

            if (trace) Console.Error.WriteLine($"table {n}: {counts.GetLength(0)} x {counts.GetLength(1)}, {PrimaryCount(counts, k, zeros)} small");
            var production = SmallCountSuppression.Run(rows, columns, counts, k, options);
            if (trace) Console.Error.WriteLine($"  production {production.Method} {production.Elapsed.TotalMilliseconds:0} ms");
            methods[production.Method] = methods.GetValueOrDefault(production.Method) + 1;
            if (!SuppressionAuditor.Audit(production.Table, counts, k, zeros).Passed) auditFailures++;

            if (trace) Console.Error.WriteLine("  audited");
            var watch = Stopwatch.StartNew();
            var greedy = LineRuleSuppression.Hidden(counts, k);
            var greedyTime = watch.Elapsed;
            var (greedyCells, greedyPeople, greedyTable) = Measure(counts, greedy, rows, columns);
            if (trace) Console.Error.WriteLine("  greedy done");
            if (!SuppressionAuditor.Audit(greedyTable, counts, k, zeros).Passed) greedyFailures++;
            if (trace) Console.Error.WriteLine("  greedy audited");

            var exact = SmallCountSuppression.Optimal(rows, columns, counts, k, zeros, exactLimit);
            if (trace) Console.Error.WriteLine($"  exact {(exact is null ? "unproved" : $"{exact.Elapsed.TotalMilliseconds:0} ms")}");
            if (exact is null)
            {
                unproven++;
                continue;
            }

            compared++;
            cellsInTables += (counts.GetLength(0) + 1) * (counts.GetLength(1) + 1);
            primaryCells += PrimaryCount(counts, k, zeros);
            stats["production"].Add(production.CellsHidden, production.PeopleHidden, production.Elapsed);
            stats["exact"].Add(exact.CellsHidden, exact.PeopleHidden, exact.Elapsed);
            stats["old greedy"].Add(greedyCells, greedyPeople, greedyTime);
            if (production.PeopleHidden == exact.PeopleHidden && production.CellsHidden == exact.CellsHidden) productionEqualsOptimum++;
            if (exact.PeopleHidden > 0) worst = Math.Max(worst, production.PeopleHidden / (double)exact.PeopleHidden);
            if ((n + 1) % every == 0 && n + 1 < tables)
            {
                Console.WriteLine($"-- after {n + 1} tables");
                Report();
            }
        }

        Console.WriteLine($"-- all {tables} tables");
        Report();
        var optimum = stats["exact"];
        if (compared == 0 || optimum.Cells == 0)
        {
            Console.Error.WriteLine("suppression: measured nothing (no table with a proved optimum, or nothing to hide)");
            return 1;
        }

        if (auditFailures > 0)
        {
            Console.Error.WriteLine($"suppression: {auditFailures} production tables failed the audit");
            return 1;
        }

        return 0;

        void Report()
        {
            var optimum = stats["exact"];
            Console.WriteLine($"tables compared (optimum proved): {compared}; not proved within the limit: {unproven}");
            Console.WriteLine($"numbers in the tables (totals included): {cellsInTables}; small counts (primary): {primaryCells}");
            Console.WriteLine($"production answers: {string.Join(", ", methods.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value}"))}");
            Console.WriteLine($"{"method",-12} {"cells hidden",13} {"people hidden",14} {"cells/opt",10} {"people/opt",11} {"mean ms",8} {"p95 ms",8} {"max ms",8}");
            foreach (var (name, s) in stats)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-12} {s.Cells,13} {s.People,14} {Ratio(s.Cells, optimum.Cells),10:0.000} {Ratio(s.People, optimum.People),11:0.000} {s.Mean,8:0.0} {s.P95,8:0.0} {s.Max,8:0.0}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"production equal to the optimum on {productionEqualsOptimum} of {compared} tables; worst table people ratio {worst:0.000}"));
            Console.WriteLine($"audit failures: production {auditFailures}, old greedy {greedyFailures} of {done}");
        }
    }

    private static double Ratio(long value, long optimum) => optimum == 0 ? double.NaN : value / (double)optimum;

    private static int PrimaryCount(int[,] counts, int k, ZeroCells zeros)
    {
        return Extend(counts).Cast<long>().Count(v => v < k && (v > 0 || zeros == ZeroCells.Protected));
    }

    private static long[,] Extend(int[,] counts)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var grid = new long[r + 1, c + 1];
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < c; j++)
            {
                grid[i, j] = counts[i, j];
                grid[i, c] += counts[i, j];
                grid[r, j] += counts[i, j];
                grid[r, c] += counts[i, j];
            }
        }

        return grid;
    }

    private static (int Cells, long People, SuppressedTable Table) Measure(int[,] counts, bool[,] hidden, IReadOnlyList<string> rows, IReadOnlyList<string> columns)
    {
        var grid = Extend(counts);
        int r = counts.GetLength(0), c = counts.GetLength(1);
        int cells = 0;
        long people = 0;
        for (var i = 0; i <= r; i++)
        {
            for (var j = 0; j <= c; j++)
            {
                if (!hidden[i, j]) continue;
                cells++;
                people += grid[i, j];
            }
        }

        int? Show(int i, int j) => hidden[i, j] ? null : (int)grid[i, j];
        var table = new SuppressedTable(rows, columns,
            Enumerable.Range(0, r).Select(i => Enumerable.Range(0, c).Select(j => Show(i, j)).ToArray()).ToArray(),
            Enumerable.Range(0, r).Select(i => Show(i, c)).ToArray(),
            Enumerable.Range(0, c).Select(j => Show(r, j)).ToArray(),
            Show(r, c));
        return (cells, people, table);
    }

    /// <summary>One table: respondents of one attribute's groups × one question's options.</summary>
    private static (string Dimension, int[,] Counts) Generate(Random random)
    {
        var (name, groupShares) = Dimensions[random.Next(Dimensions.Length)];
        var respondents = (int)Math.Clamp(Math.Exp(Math.Log(250) + 1.2 * Normal(random)), 10, 5000);
        var options = random.NextDouble() switch
        {
            < 0.25 => 2 + random.Next(2),   // yes / no (/ cannot say)
            < 0.65 => 5 + random.Next(2),   // a scale of five, maybe with "no answer"
            < 0.8 => 11,                    // NPS 0–10
            < 0.95 => 4 + random.Next(9),   // a choice of 4–12
            _ => 13 + random.Next(18),      // a long list (up to 30)
        };
        // Skewed option shares, and each group leaning its own way a little.
        var optionShares = Enumerable.Range(0, options).Select(_ => Gamma(random, 0.8)).ToArray();
        var counts = new int[groupShares.Length, options];
        var groupTotal = groupShares.Sum();
        for (var p = 0; p < respondents; p++)
        {
            var g = Pick(random, groupShares, groupTotal);
            var lean = random.NextDouble() < 0.2 ? (g * 7 + 3) % options : -1;
            var o = lean >= 0 ? lean : Pick(random, optionShares, optionShares.Sum());
            counts[g, o]++;
        }

        return (name, counts);
    }

    private static int Pick(Random random, double[] shares, double total)
    {
        var x = random.NextDouble() * total;
        for (var i = 0; i < shares.Length; i++)
        {
            x -= shares[i];
            if (x < 0) return i;
        }

        return shares.Length - 1;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // Marsaglia–Tsang, with the boost for a shape below 1.
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            var x = Normal(random);
            var v = Math.Pow(1 + c * x, 3);
            if (v > 0 && Math.Log(1 - random.NextDouble()) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    private sealed class Totals
    {
        private readonly List<double> _ms = [];

        public long Cells { get; private set; }

        public long People { get; private set; }

        public double Mean => _ms.Count == 0 ? 0 : _ms.Average();

        public double P95 => _ms.Count == 0 ? 0 : _ms.Order().ElementAt((int)Math.Min(_ms.Count - 1, Math.Ceiling(0.95 * _ms.Count) - 1));

        public double Max => _ms.Count == 0 ? 0 : _ms.Max();

        public void Add(int cells, long people, TimeSpan time)
        {
            Cells += cells;
            People += people;
            _ms.Add(time.TotalMilliseconds);
        }
    }
}
