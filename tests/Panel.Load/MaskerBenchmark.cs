using System.Diagnostics;
using System.Globalization;
using Panel.Privacy;
using Panel.Privacy.Corpus;

namespace Panel.Load;

/// <summary>
/// masker: the masker's precision and recall per kind on the labelled corpus (tests/Panel.Privacy.Tests/Corpus), the same
/// figures MaskerCorpusTests asserts, and its throughput: the corpus's texts masked over and over for --seconds, in
/// characters and texts per second on one thread, as every answer submit masks its free texts.
/// </summary>
internal static class MaskerBenchmark
{
    public static int Run(Args a)
    {
        var path = a.Value("--corpus") ?? Path.Combine(AppContext.BaseDirectory, "Corpus", MaskerCorpus.FileName);
        var seconds = a.Int("--seconds", 5);
        var show = a.Value("--mistakes") is not "false";
        if (!File.Exists(path))
        {
            throw new UsageException($"The corpus {path} is not there: --corpus PATH");
        }

        var corpus = MaskerCorpus.Load(path);
        var (scores, mistakes) = MaskerCorpus.Score(corpus, PersonalDataMasker.Find);
        Console.WriteLine($"masker corpus {Path.GetFileName(path)}: {corpus.Count} lines, {corpus.Count(l => l.Labels.Count == 0)} without personal data");
        Console.Write(MaskerCorpus.Table(scores));
        if (show)
        {
            foreach (var m in mistakes)
            {
                Console.WriteLine($"  {(m.IsMiss ? "missed" : "wrong ")} {m.Kind} (line {m.LineNumber}): «{m.Span}»");
            }
        }

        var texts = corpus.Select(l => l.Text).ToArray();
        var characters = texts.Sum(t => (long)t.Length);

        // Warm up: the generated regexes and the JIT, so that the figure is the steady state of a running service.
        for (var i = 0; i < 3; i++)
        {
            Pass(texts);
        }

        long passes = 0;
        var masked = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            masked += Pass(texts);
            passes++;
        }

        clock.Stop();
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {passes:N0} passes over the corpus ({characters:N0} characters, {texts.Length} texts each) in {elapsed:0.0} s on one thread: " +
            $"{passes * characters / elapsed / 1e6:0.00} million characters/s, {passes * texts.Length / elapsed:N0} texts/s, " +
            $"{elapsed / (passes * texts.Length) * 1e6:0.0} µs per text ({masked / passes} texts changed per pass)"));
        return 0;
    }

    private static int Pass(string[] texts)
    {
        var changed = 0;
        foreach (var text in texts)
        {
            changed += ReferenceEquals(PersonalDataMasker.Mask(text), text) ? 0 : 1;
        }

        return changed;
    }
}
