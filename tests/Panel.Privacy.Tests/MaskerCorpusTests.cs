using Panel.Privacy.Corpus;
using Xunit.Abstractions;

namespace Panel.Privacy.Tests;

/// <summary>
/// The masker on the labelled corpus of what people write (Corpus/masker-corpus.tsv): precision at least 0.99 and recall
/// at least 0.98 for each kind of personal data. The figures and every mistake are printed.
/// </summary>
public sealed class MaskerCorpusTests(ITestOutputHelper output)
{
    private const double TargetPrecision = 0.99;
    private const double TargetRecall = 0.98;

    [Fact]
    public void The_masker_finds_what_people_write_with_the_target_precision_and_recall_for_each_kind()
    {
        var corpus = MaskerCorpus.Load();

        var (scores, mistakes) = MaskerCorpus.Score(corpus, PersonalDataMasker.Find);

        output.WriteLine($"{corpus.Count} lines, {corpus.Count(l => l.Labels.Count == 0)} without personal data");
        output.WriteLine(MaskerCorpus.Table(scores));
        foreach (var m in mistakes)
        {
            output.WriteLine($"{(m.IsMiss ? "missed" : "wrong ")} {m.Kind} line {m.LineNumber}: «{m.Span}» in «{m.Text}»");
        }

        Assert.All(scores, s =>
        {
            Assert.True(s.Precision >= TargetPrecision, $"{s.Kind}: precision {s.Precision:0.000} < {TargetPrecision}");
            Assert.True(s.Recall >= TargetRecall, $"{s.Kind}: recall {s.Recall:0.000} < {TargetRecall}");
        });
    }

    [Fact]
    public void The_corpus_is_big_enough_that_one_mistake_moves_a_figure_by_at_most_one_percent()
    {
        var corpus = MaskerCorpus.Load();

        var (scores, _) = MaskerCorpus.Score(corpus, _ => []);

        Assert.All(scores, s => Assert.True(s.Labelled >= 100, $"{s.Kind}: only {s.Labelled} labelled spans"));
        Assert.True(corpus.Count(l => l.Labels.Count == 0) >= 200, "too few lines without personal data");
    }

    [Fact]
    public void A_labelled_identity_code_or_iban_in_the_corpus_holds_its_check_and_an_unlabelled_one_does_not_count()
    {
        var corpus = MaskerCorpus.Load();

        var labelled = corpus.SelectMany(l => l.Labels.Where(x => x.Kind == PersonalDataKind.Iban).Select(x => l.Text.Substring(x.Index, x.Length))).ToList();

        Assert.NotEmpty(labelled);
        Assert.All(labelled, iban => Assert.True(PersonalDataMasker.IsValidIban(iban), iban));
    }

    [Fact]
    public void Scoring_counts_a_span_that_covers_the_label_and_not_one_that_cuts_it()
    {
        var corpus = MaskerCorpus.Parse(["Soita 040 123 4567 heti\tphone:040 123 4567", "Ei mitään 12345"]);

        var (covered, _) = MaskerCorpus.Score(corpus, t => t.StartsWith("Soita", StringComparison.Ordinal) ? [new(PersonalDataKind.Phone, 5, 14)] : []);
        var (cut, mistakes) = MaskerCorpus.Score(corpus, t => t.StartsWith("Soita", StringComparison.Ordinal) ? [new(PersonalDataKind.Phone, 6, 7)] : [new(PersonalDataKind.Phone, 10, 5)]);

        var phone = covered.Single(s => s.Kind == PersonalDataKind.Phone);
        Assert.Equal((1, 1.0, 1.0), (phone.Found, phone.Precision, phone.Recall));
        var phoneCut = cut.Single(s => s.Kind == PersonalDataKind.Phone);
        Assert.Equal((0, 2, 2, 0.0, 0.0), (phoneCut.Found, phoneCut.Masked, phoneCut.Wrong, phoneCut.Precision, phoneCut.Recall));
        Assert.Equal(3, mistakes.Count);
    }
}
