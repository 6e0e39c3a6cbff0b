using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Panel.Gateway.Localization;

/// <summary>
/// The UI's texts in Finnish, Swedish and English, from Localization/ui.{fi,sv,en}.json (embedded).
/// A missing key shows as [key] so a gap is visible, and a test keeps the three files in step.
/// </summary>
public sealed class UiText
{
    public const string DefaultLanguage = "fi";
    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _texts;

    public UiText()
    {
        var assembly = typeof(UiText).Assembly;
        _texts = Languages.ToFrozenDictionary(lang => lang, lang =>
        {
            using var stream = assembly.GetManifestResourceStream($"Panel.Gateway.Localization.ui.{lang}.json")
                ?? throw new InvalidOperationException($"UI texts for '{lang}' are missing.");
            return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!.ToFrozenDictionary();
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
