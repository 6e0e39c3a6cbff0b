using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Panel.Gateway.Localization;

/// <summary>
/// The UI's texts in Finnish, Swedish and English, from Localization/ui.{fi,sv,en}.json and the per-area files
/// Localization/ui.{area}.{fi,sv,en}.json (embedded). A key may be defined in one file only. A missing key
/// shows as [key] so a gap is visible, and a test keeps the three languages in step.
/// </summary>
public sealed class UiText
{
    public const string DefaultLanguage = "fi";
    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _texts;

    public UiText()
    {
        var assembly = typeof(UiText).Assembly;
        var resources = assembly.GetManifestResourceNames();
        _texts = Languages.ToFrozenDictionary(lang => lang, lang =>
        {
            var files = resources
                .Where(name => name.StartsWith("Panel.Gateway.Localization.ui.", StringComparison.Ordinal)
                    && name.EndsWith($".{lang}.json", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (!files.Contains($"Panel.Gateway.Localization.ui.{lang}.json"))
                throw new InvalidOperationException($"UI texts for '{lang}' are missing.");
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                using var stream = assembly.GetManifestResourceStream(file)!;
                foreach (var (key, text) in JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!)
                {
                    if (!texts.TryAdd(key, text))
                        throw new InvalidOperationException($"UI text '{key}' ({lang}) is defined twice; {file} repeats it.");
                }
            }
            return texts.ToFrozenDictionary(StringComparer.Ordinal);
        });
    }

    public static string CurrentLanguage =>
        Languages.Contains(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : DefaultLanguage;

    public string this[string key] => Get(CurrentLanguage, key);

    public string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, this[key], args);

    public string Get(string language, string key) =>
        _texts.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text) ? text : $"[{key}]";

    public IReadOnlyCollection<string> Keys(string language) => _texts[language].Keys;
}
