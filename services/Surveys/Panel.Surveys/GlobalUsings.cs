// A text in the survey's languages, keyed by language code: {"fi": "...", "sv": "...", "en": "..."}.
global using LocalizedText = System.Collections.Generic.IReadOnlyDictionary<string, string>;
