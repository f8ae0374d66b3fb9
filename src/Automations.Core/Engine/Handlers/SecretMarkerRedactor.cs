using System.Text.Encodings.Web;
using System.Text.Json;

namespace Automations.Core.Engine.Handlers;

/// <summary>
/// Replaces secret values in text kept in the history (a response body, an error) with their <c>${NAME}</c> markers,
/// so an endpoint that echoes the request (body or <c>Authorization</c> header) cannot put a secret into the
/// history. Each value is replaced as sent and in its JSON-escaped spellings; a capped body that ends in the middle
/// of a value loses that partial value too.
/// </summary>
internal static class SecretMarkerRedactor
{
    /// <summary>The shortest partial value at the end of a truncated text that is treated as a cut-off secret.</summary>
    private const int MinPartialLength = 3;

    private static readonly JavaScriptEncoder[] s_encoders = [JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping];

    /// <summary>Redacts every value of <paramref name="secrets"/> (name, value) from <paramref name="text"/>.</summary>
    /// <param name="text">The text, or null.</param>
    /// <param name="secrets">The secrets used for the request (empty values are ignored).</param>
    /// <param name="truncated">Whether the text was cut at a size cap (its end may hold a partial value).</param>
    /// <returns>The text without any secret value, or null when <paramref name="text"/> is null.</returns>
    public static string? Redact(string? text, IReadOnlyList<KeyValuePair<string, string>> secrets, bool truncated)
    {
        if (string.IsNullOrEmpty(text) || secrets.Count == 0)
        {
            return text;
        }

        // Longest first, so a value that contains another value is replaced whole.
        foreach (var (name, value) in secrets.Where(s => !string.IsNullOrEmpty(s.Value)).OrderByDescending(s => s.Value.Length))
        {
            var marker = "${" + name + "}";
            text = text.Replace(value, marker, StringComparison.Ordinal);
            foreach (var encoder in s_encoders)
            {
                var escaped = JsonEncodedText.Encode(value, encoder).ToString();
                if (!string.Equals(escaped, value, StringComparison.Ordinal))
                {
                    text = text.Replace(escaped, marker, StringComparison.Ordinal);
                }
            }

            if (truncated)
            {
                for (var length = Math.Min(value.Length - 1, text.Length); length >= MinPartialLength; length--)
                {
                    if (text.AsSpan().EndsWith(value.AsSpan(0, length), StringComparison.Ordinal))
                    {
                        text = string.Concat(text.AsSpan(0, text.Length - length), marker);
                        break;
                    }
                }
            }
        }

        return text;
    }
}
