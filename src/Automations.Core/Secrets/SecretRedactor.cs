using System.Text.Encodings.Web;
using System.Text.Json;
using Automations.Core.Signing;

namespace Automations.Core.Secrets;

/// <summary>
/// Replaces known secret values (and tokens and signatures) in text about to be recorded or shown: a receiver may
/// echo a request body or header back in its response. A value added with its secret's name becomes the
/// <c>${NAME}</c> marker (as in the recorded request body); any other value becomes <c>***</c>. Each value is
/// matched as sent and in its JSON-escaped spellings, and a capped text that ends in the middle of a value loses
/// that partial value too. Holds values only for one delivery; <see cref="ToString"/> shows a count.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>The shortest partial value at the end of a truncated text that is treated as a cut-off secret.</summary>
    private const int MinPartialLength = 3;

    private static readonly JavaScriptEncoder[] s_encoders = [JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping];

    private readonly List<(string Value, string? Name)> _raw = [];
    private readonly List<(string Spelling, string Marker)> _spellings = [];
    private IReadOnlyList<KeyValuePair<string, string>>? _headers;
    private List<IReadOnlyList<KeyValuePair<string, string>>>? _moreHeaders;
    private int _expanded;

    /// <summary>The number of spellings matched (each value as is and JSON-escaped).</summary>
    public int Count
    {
        get
        {
            Expand();
            return _spellings.Count;
        }
    }

    /// <summary>
    /// Adds a value to mask (null or empty is ignored). With <paramref name="name"/> it is replaced by
    /// <c>${name}</c>, otherwise by <c>***</c>; a value added twice keeps its first replacement. Escaped spellings are
    /// worked out only when there is text to redact.
    /// </summary>
    public void Add(string? value, string? name = null)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        foreach (var (known, _) in _raw)
        {
            if (string.Equals(known, value, StringComparison.Ordinal))
            {
                return;
            }
        }

        _raw.Add((value, name));
    }

    /// <summary>
    /// Adds the secret-derived values of request headers (signatures: each whole value, and each space- or
    /// comma-separated part of 16 characters or more), masked as <c>***</c>. Ids, timestamps and the
    /// <c>Authorization</c> header (its token is added by name) are left alone. The headers are read only when
    /// there is text to redact.
    /// </summary>
    /// <param name="headers">The headers sent.</param>
    public void AddSignatureHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Count > 0)
        {
            if (_headers is null)
            {
                _headers = headers;
            }
            else
            {
                (_moreHeaders ??= []).Add(headers);
            }
        }
    }

    /// <summary>The text with every known value replaced; null stays null.</summary>
    /// <param name="text">The text.</param>
    /// <param name="truncated">Whether the text was cut at a size cap (its end may hold part of a value).</param>
    public string? Redact(string? text, bool truncated = false)
    {
        if (string.IsNullOrEmpty(text) || (_raw.Count == 0 && _headers is null))
        {
            return text;
        }

        Expand();

        // Longest first, so a value containing another is replaced whole.
        foreach (var (spelling, marker) in _spellings.OrderByDescending(s => s.Spelling.Length))
        {
            if (text.Contains(spelling, StringComparison.Ordinal))
            {
                text = text.Replace(spelling, marker, StringComparison.Ordinal);
            }
        }

        if (truncated)
        {
            foreach (var (value, name) in _raw.OrderByDescending(r => r.Value.Length))
            {
                var marker = MarkerOf(name);
                for (var length = Math.Min(value.Length - 1, text.Length); length >= MinPartialLength; length--)
                {
                    if (text.AsSpan().EndsWith(value.AsSpan(0, length), StringComparison.Ordinal))
                    {
                        return string.Concat(text.AsSpan(0, text.Length - length), marker);
                    }
                }
            }
        }

        return text;
    }

    public override string ToString() => $"{nameof(SecretRedactor)} ({_raw.Count} values)";

    /// <summary>Adds the spellings of the values added since the last call.</summary>
    private static string MarkerOf(string? name) => name is null ? Mask : "${" + name + "}";

    private void Expand()
    {
        if (_headers is { } first)
        {
            IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> sets = _moreHeaders is null ? [first] : [first, .. _moreHeaders];
            _headers = null;
            _moreHeaders = null;
            foreach (var headers in sets)
            {
                foreach (var header in headers)
                {
                    if (string.Equals(header.Key, WebhookHeaderNames.WebhookId, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(header.Key, WebhookHeaderNames.WebhookTimestamp, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(header.Key, WebhookHeaderNames.Authorization, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    Add(header.Value);
                    foreach (var part in header.Value.Split(' ', ','))
                    {
                        if (part.Length >= 16)
                        {
                            Add(part);
                        }
                    }
                }
            }
        }

        for (; _expanded < _raw.Count; _expanded++)
        {
            var (value, name) = _raw[_expanded];
            var marker = MarkerOf(name);
            foreach (var spelling in SpellingsOf(value))
            {
                AddSpelling(spelling, marker);
            }
        }
    }

    /// <summary>
    /// The spellings a value may take in what a receiver echoes back: as is, and inside JSON with the default
    /// encoder (<c>\u0022</c>, <c>\u002B</c>, non-ASCII escaped) and minimally escaped (<c>\"</c>). May repeat a spelling.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The spellings, the value itself first.</returns>
    internal static IEnumerable<string> SpellingsOf(string value)
    {
        yield return value;
        foreach (var encoder in s_encoders)
        {
            yield return JsonEncodedText.Encode(value, encoder).ToString();
        }
    }

    private void AddSpelling(string spelling, string marker)
    {
        if (!_spellings.Exists(s => string.Equals(s.Spelling, spelling, StringComparison.Ordinal)))
        {
            _spellings.Add((spelling, marker));
        }
    }
}
