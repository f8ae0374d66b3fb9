using System.Collections;
using System.Net.Http.Headers;

namespace Automations.Core.Signing;

/// <summary>
/// The headers a <see cref="WebhookSigner"/> produced for one delivery: enumerate them as name/value pairs, or add
/// them to an HTTP request with <see cref="AddTo"/>. A value type, so signing allocates only the header strings.
/// Its <see cref="ToString"/> lists header names and never shows signatures or tokens.
/// </summary>
public readonly struct WebhookSignatureHeaders : IEnumerable<KeyValuePair<string, string>>, IEquatable<WebhookSignatureHeaders>
{
    internal WebhookSignatureHeaders(string? wandbSignature, string? webhookId, string? webhookTimestamp, string? webhookSignature, string? authorization)
    {
        WandbSignature = wandbSignature;
        WebhookId = webhookId;
        WebhookTimestamp = webhookTimestamp;
        WebhookSignature = webhookSignature;
        Authorization = authorization;
    }

    /// <summary>Value of <c>X-Wandb-Signature</c>, or null when W&amp;B signing is off.</summary>
    public string? WandbSignature { get; }

    /// <summary>Value of <c>webhook-id</c>, or null when Standard Webhooks signing is off.</summary>
    public string? WebhookId { get; }

    /// <summary>Value of <c>webhook-timestamp</c> (unix seconds), or null when Standard Webhooks signing is off.</summary>
    public string? WebhookTimestamp { get; }

    /// <summary>Value of <c>webhook-signature</c> (<c>v1,&lt;base64&gt;</c>, one per key, space-separated), or null when Standard Webhooks signing is off.</summary>
    public string? WebhookSignature { get; }

    /// <summary>Value of <c>Authorization</c> (<c>Bearer &lt;token&gt;</c>), or null when the webhook has no access token.</summary>
    public string? Authorization { get; }

    /// <summary>Number of headers to send.</summary>
    public int Count =>
        (WandbSignature is null ? 0 : 1) + (WebhookSignature is null ? 0 : 3) + (Authorization is null ? 0 : 1);

    /// <summary>Compares two header sets value by value.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(WebhookSignatureHeaders left, WebhookSignatureHeaders right) => left.Equals(right);

    /// <summary>Compares two header sets value by value.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(WebhookSignatureHeaders left, WebhookSignatureHeaders right) => !left.Equals(right);

    /// <summary>Adds every header to <paramref name="headers"/> (for example <c>HttpRequestMessage.Headers</c>) without re-parsing the values.</summary>
    /// <param name="headers">The headers to add to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="headers"/> is null.</exception>
    public void AddTo(HttpHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var header in this)
        {
            headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Enumerates the headers in sending order: <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>, <c>X-Wandb-Signature</c>, <c>Authorization</c> (those present).</summary>
    /// <returns>An allocation-free enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    /// <inheritdoc />
    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(WebhookSignatureHeaders other) =>
        string.Equals(WandbSignature, other.WandbSignature, StringComparison.Ordinal)
        && string.Equals(WebhookId, other.WebhookId, StringComparison.Ordinal)
        && string.Equals(WebhookTimestamp, other.WebhookTimestamp, StringComparison.Ordinal)
        && string.Equals(WebhookSignature, other.WebhookSignature, StringComparison.Ordinal)
        && string.Equals(Authorization, other.Authorization, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is WebhookSignatureHeaders other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(WandbSignature, WebhookId, WebhookTimestamp, WebhookSignature, Authorization);

    /// <summary>Lists the header names (and the non-secret id and timestamp); signatures and tokens are redacted.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
    {
        var parts = new List<string>(5);
        if (WebhookSignature is not null)
        {
            parts.Add($"{WebhookHeaderNames.WebhookId}: {WebhookId}");
            parts.Add($"{WebhookHeaderNames.WebhookTimestamp}: {WebhookTimestamp}");
            parts.Add($"{WebhookHeaderNames.WebhookSignature}: [redacted]");
        }

        if (WandbSignature is not null)
        {
            parts.Add($"{WebhookHeaderNames.WandbSignature}: [redacted]");
        }

        if (Authorization is not null)
        {
            parts.Add($"{WebhookHeaderNames.Authorization}: [redacted]");
        }

        return "WebhookSignatureHeaders { " + string.Join(", ", parts) + " }";
    }

    /// <summary>Allocation-free enumerator over the headers present.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, string>>
    {
        private readonly WebhookSignatureHeaders _headers;
        private int _state;

        internal Enumerator(WebhookSignatureHeaders headers)
        {
            _headers = headers;
            _state = -1;
            Current = default;
        }

        /// <summary>The current header.</summary>
        public KeyValuePair<string, string> Current { get; private set; }

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Moves to the next header present.</summary>
        /// <returns>Whether there is one.</returns>
        public bool MoveNext()
        {
            while (++_state < 5)
            {
                var (name, value) = _state switch
                {
                    0 => (WebhookHeaderNames.WebhookId, _headers.WebhookSignature is null ? null : _headers.WebhookId),
                    1 => (WebhookHeaderNames.WebhookTimestamp, _headers.WebhookSignature is null ? null : _headers.WebhookTimestamp),
                    2 => (WebhookHeaderNames.WebhookSignature, _headers.WebhookSignature),
                    3 => (WebhookHeaderNames.WandbSignature, _headers.WandbSignature),
                    _ => (WebhookHeaderNames.Authorization, _headers.Authorization),
                };
                if (value is not null)
                {
                    Current = new KeyValuePair<string, string>(name, value);
                    return true;
                }
            }

            Current = default;
            return false;
        }

        /// <summary>Starts over.</summary>
        public void Reset()
        {
            _state = -1;
            Current = default;
        }

        /// <summary>Does nothing; present for <see cref="IDisposable"/>.</summary>
        public readonly void Dispose()
        {
        }
    }
}
