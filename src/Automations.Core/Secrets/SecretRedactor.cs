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

    private readonly List<string> _values = [];

    public int Count => _values.Count;

    /// <summary>Adds a value to mask (null or empty is ignored).</summary>
    public void Add(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        AddOne(value);

        // As a receiver may echo it inside JSON: minimally escaped (\") and with the default encoder (\u0022).
        AddOne(JsonSerializer.Serialize(value, s_relaxed)[1..^1]);
        AddOne(JsonSerializer.Serialize(value)[1..^1]);
    }

    /// <summary>The text with every known value masked; null stays null.</summary>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || _values.Count == 0)
        {
            return text;
        }

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

    public override string ToString() => $"{nameof(SecretRedactor)} ({_values.Count} values)";

    private void AddOne(string value)
    {
        if (!_values.Contains(value, StringComparer.Ordinal))
        {
            _values.Add(value);
        }
    }
}
