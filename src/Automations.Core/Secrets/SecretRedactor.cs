using System.Text.Encodings.Web;
using System.Text.Json;

namespace Automations.Core.Secrets;

/// <summary>
/// Replaces known secret values (and tokens and signatures) with <c>***</c> in text about to be recorded or shown:
/// a receiver may echo a request body or header back in its response. Matches each value as is and in its
/// JSON-escaped form. Holds values only for one delivery; <see cref="ToString"/> shows a count.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "***";

    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<string> _raw = [];
    private readonly List<string> _values = [];
    private int _expanded;

    public int Count
    {
        get
        {
            Expand();
            return _values.Count;
        }
    }

    /// <summary>Adds a value to mask (null or empty is ignored). Its JSON-escaped forms are worked out only when needed.</summary>
    public void Add(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _raw.Add(value);
        }
    }

    /// <summary>The text with every known value masked; null stays null.</summary>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || _raw.Count == 0)
        {
            return text;
        }

        Expand();

        // Longest first, so a value containing another is masked whole.
        foreach (var value in _values.OrderByDescending(v => v.Length))
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public override string ToString() => $"{nameof(SecretRedactor)} ({_raw.Count} values)";

    /// <summary>Adds the values added since the last call, each as is and in its JSON-escaped forms.</summary>
    private void Expand()
    {
        for (; _expanded < _raw.Count; _expanded++)
        {
            var value = _raw[_expanded];
            AddOne(value);

            // As a receiver may echo it inside JSON: minimally escaped (\") and with the default encoder (\u0022).
            AddOne(JsonSerializer.Serialize(value, s_relaxed)[1..^1]);
            AddOne(JsonSerializer.Serialize(value)[1..^1]);
        }
    }

    private void AddOne(string value)
    {
        if (!_values.Contains(value, StringComparer.Ordinal))
        {
            _values.Add(value);
        }
    }
}
