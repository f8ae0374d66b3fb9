using System.Buffers;
using System.Text;
using Automations.Core.Http;
using Automations.Core.Secrets;

namespace Automations.Core.Engine;

/// <summary>
/// Replaces known secret values (a signing secret, an access token) with <see cref="Marker"/> in what an endpoint
/// answered, so "test webhook" cannot read a secret back through an endpoint that echoes its request (as many
/// request-inspection services do). Each value is matched as sent and in its JSON-escaped spellings
/// (<see cref="SecretRedactor.SpellingsOf"/>, the same the history's redaction uses), since echo services usually
/// answer in JSON; an endpoint that re-encodes the value otherwise (for example in base64) is not caught.
/// </summary>
internal sealed class SecretScrubber
{
    /// <summary>What a secret value is replaced with.</summary>
    public const string Marker = "[redacted]";

    /// <summary>The shortest secret prefix scrubbed when a capped body ends in the middle of a secret.</summary>
    internal const int MinTailPrefix = 4;

    private static readonly byte[] s_marker = Encoding.UTF8.GetBytes(Marker);

    private readonly string[] _values;
    private readonly byte[][] _utf8;

    public SecretScrubber(params string?[] values)
    {
        // Longest first, so a secret that contains another is replaced whole.
        _values = [.. values.Where(v => !string.IsNullOrEmpty(v)).SelectMany(v => SecretRedactor.SpellingsOf(v!)).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];
        _utf8 = [.. _values.Select(Encoding.UTF8.GetBytes)];
    }

    public bool IsEmpty => _values.Length == 0;

    public string Scrub(string text)
    {
        foreach (var value in _values)
        {
            text = text.Replace(value, Marker, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Scrubs a body; when <paramref name="truncated"/>, also a tail that is the start of a secret cut by the cap.</summary>
    public ReadOnlyMemory<byte> Scrub(ReadOnlyMemory<byte> body, bool truncated)
    {
        var current = body;
        foreach (var needle in _utf8)
        {
            current = Replace(current, needle, truncated);
        }

        return current;
    }

    public WebhookDispatchOutcome Scrub(WebhookDispatchOutcome outcome)
    {
        if (IsEmpty)
        {
            return outcome;
        }

        var headers = outcome.ResponseHeaders.Select(h => KeyValuePair.Create(h.Key, Scrub(h.Value))).ToArray();
        var location = outcome.RedirectLocation;
        if (location is not null)
        {
            var scrubbed = Scrub(location.OriginalString);
            if (!string.Equals(scrubbed, location.OriginalString, StringComparison.Ordinal))
            {
                location = Uri.TryCreate(scrubbed, UriKind.RelativeOrAbsolute, out var parsed) ? parsed : null;
            }
        }

        return new WebhookDispatchOutcome(
            outcome.Kind,
            outcome.FailureReason,
            outcome.DeliveryId,
            Scrub(outcome.Message),
            outcome.StatusCode,
            headers,
            Scrub(outcome.ResponseBody, outcome.IsResponseBodyTruncated),
            outcome.IsResponseBodyTruncated,
            outcome.RetryAfter,
            location,
            outcome.PolicyDecision);
    }

    private static ReadOnlyMemory<byte> Replace(ReadOnlyMemory<byte> body, byte[] needle, bool truncated)
    {
        var source = body.Span;
        var tail = truncated ? CutSecretTail(source, needle) : 0;
        var index = source.IndexOf(needle);
        if (index < 0 && tail == 0)
        {
            return body;
        }

        var writer = new ArrayBufferWriter<byte>(source.Length + s_marker.Length);
        var rest = source[..(source.Length - tail)];
        while ((index = rest.IndexOf(needle)) >= 0)
        {
            writer.Write(rest[..index]);
            writer.Write(s_marker);
            rest = rest[(index + needle.Length)..];
        }

        writer.Write(rest);
        if (tail > 0)
        {
            writer.Write(s_marker);
        }

        return writer.WrittenMemory;
    }

    /// <summary>The length of the longest proper prefix of <paramref name="needle"/> (at least <see cref="MinTailPrefix"/> bytes) that ends the body.</summary>
    private static int CutSecretTail(ReadOnlySpan<byte> body, byte[] needle)
    {
        for (var length = Math.Min(needle.Length - 1, body.Length); length >= MinTailPrefix; length--)
        {
            if (body[^length..].SequenceEqual(needle.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
