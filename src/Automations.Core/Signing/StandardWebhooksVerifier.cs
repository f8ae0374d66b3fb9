using System.Buffers;
using System.Globalization;
using System.Text;
using Automations.Core.Domain;

namespace Automations.Core.Signing;

/// <summary>
/// Receiver-side check of Standard Webhooks headers: <c>webhook-signature</c> must hold a <c>v1</c> signature of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> made with one of the keys, and <c>webhook-timestamp</c> must be
/// within the tolerance of now (both directions; the bounds themselves pass). Signatures are compared in constant
/// time; in the space-separated list any entry may match (first, middle or last), unreadable entries are skipped and
/// other versions (<c>v1a</c>, <c>v2</c>) are ignored. Thread-safe; returns a result, never throws for bad input.
/// </summary>
public sealed class StandardWebhooksVerifier
{
    /// <summary>The default tolerance between <c>webhook-timestamp</c> and now: 300 seconds.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    private const int MaxStackPrefix = 512;

    private readonly WebhookSigningKey[] _keys;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier for one <c>whsec_</c> secret with the default tolerance and the system clock.</summary>
    /// <param name="secret">The serialized secret (see <see cref="WebhookSigningKey.ForStandardWebhooks(string)"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="AutomationValidationException">The secret is invalid; the message never repeats it.</exception>
    public StandardWebhooksVerifier(string secret)
        : this([WebhookSigningKey.ForStandardWebhooks(secret)])
    {
    }

    /// <summary>Creates a verifier that accepts a signature made with any of <paramref name="keys"/>.</summary>
    /// <param name="keys">One to <see cref="WebhookSigner.MaxStandardWebhooksKeys"/> Standard Webhooks keys.</param>
    /// <param name="timeProvider">The clock for "now"; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="tolerance">Allowed distance between the timestamp and now; <see cref="DefaultTolerance"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> or one of them is null.</exception>
    /// <exception cref="AutomationValidationException">No keys, too many, a key for another scheme, or a negative tolerance.</exception>
    public StandardWebhooksVerifier(IEnumerable<WebhookSigningKey> keys, TimeProvider? timeProvider = null, TimeSpan? tolerance = null)
    {
        var problems = new ValidationProblemCollector();
        if (tolerance < TimeSpan.Zero)
        {
            problems.Add("tolerance", "The tolerance must not be negative.");
        }

        try
        {
            _keys = VerifierKeys.Check(keys, WebhookSigningScheme.StandardWebhooks);
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange(string.Empty, ex.Problems);
            _keys = [];
        }

        problems.ThrowIfInvalid();
        _timeProvider = timeProvider ?? TimeProvider.System;
        Tolerance = tolerance ?? DefaultTolerance;
    }

    /// <summary>Allowed distance between <c>webhook-timestamp</c> and now, in either direction.</summary>
    public TimeSpan Tolerance { get; }

    /// <summary>Verifies a received webhook.</summary>
    /// <param name="body">The exact body bytes received (do not re-serialize the JSON).</param>
    /// <param name="webhookId">The value of <c>webhook-id</c>, or null when absent.</param>
    /// <param name="webhookTimestamp">The value of <c>webhook-timestamp</c>, or null when absent.</param>
    /// <param name="webhookSignature">The value of <c>webhook-signature</c>, or null when absent.</param>
    /// <returns>The outcome: valid, invalid signature, timestamp too old or too new, missing or malformed header.</returns>
    public WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? webhookId, string? webhookTimestamp, string? webhookSignature)
    {
        if (string.IsNullOrWhiteSpace(webhookId))
        {
            return WebhookVerificationResult.Missing(WebhookHeaderNames.WebhookId);
        }

        if (string.IsNullOrWhiteSpace(webhookTimestamp))
        {
            return WebhookVerificationResult.Missing(WebhookHeaderNames.WebhookTimestamp);
        }

        if (string.IsNullOrWhiteSpace(webhookSignature))
        {
            return WebhookVerificationResult.Missing(WebhookHeaderNames.WebhookSignature);
        }

        var timestampText = webhookTimestamp.AsSpan().Trim();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || unix > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WebhookVerificationResult.Malformed(WebhookHeaderNames.WebhookTimestamp, "expected integer unix seconds");
        }

        // now - sent cannot overflow (both are valid DateTimeOffsets), unlike now ± a huge tolerance.
        var age = _timeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(unix);
        if (age > Tolerance)
        {
            return WebhookVerificationResult.TooOld(Tolerance);
        }

        if (age < -Tolerance)
        {
            return WebhookVerificationResult.TooNew(Tolerance);
        }

        var id = webhookId.AsSpan().Trim();
        var prefixLength = Encoding.UTF8.GetByteCount(id) + timestampText.Length + 2;
        byte[]? rented = null;
        var prefix = prefixLength <= MaxStackPrefix
            ? stackalloc byte[MaxStackPrefix]
            : (rented = ArrayPool<byte>.Shared.Rent(prefixLength));
        try
        {
            var length = Encoding.UTF8.GetBytes(id, prefix);
            prefix[length++] = (byte)'.';
            length += Encoding.UTF8.GetBytes(timestampText, prefix[length..]);
            prefix[length++] = (byte)'.';

            Span<byte> expected = stackalloc byte[_keys.Length * WebhookSigningKey.MacBytes];
            for (var i = 0; i < _keys.Length; i++)
            {
                _keys[i].ComputeMac(prefix[..length], body, expected.Slice(i * WebhookSigningKey.MacBytes, WebhookSigningKey.MacBytes));
            }

            return SignatureList.Match(webhookSignature.AsSpan().Trim(), "v1", expected) switch
            {
                SignatureList.Outcome.Match => WebhookVerificationResult.Valid,
                SignatureList.Outcome.NoMatch => WebhookVerificationResult.InvalidSignature,
                _ => WebhookVerificationResult.Malformed(WebhookHeaderNames.WebhookSignature, "expected space-separated 'v1,<base64>' entries"),
            };
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Describes the verifier without revealing keys.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"StandardWebhooksVerifier {{ Keys = {_keys.Length}, Tolerance = {Tolerance.TotalSeconds:0.###} s }}";
}
