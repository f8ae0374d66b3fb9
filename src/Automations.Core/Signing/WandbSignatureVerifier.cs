using Automations.Core.Domain;

namespace Automations.Core.Signing;

/// <summary>
/// Receiver-side check of <c>X-Wandb-Signature</c>: base64(HMAC-SHA256(secret as UTF-8, exact body)). Compares in
/// constant time; accepts any of several secrets (rotation on the receiver side) and a space-separated list of
/// signatures (any match passes, unreadable entries are skipped). Thread-safe; returns a result, never throws for bad input.
/// </summary>
/// <remarks>W&amp;B signatures carry no timestamp, so they cannot tell a replay from a first delivery.</remarks>
public sealed class WandbSignatureVerifier
{
    private readonly WebhookSigningKey[] _keys;

    /// <summary>Creates a verifier for one secret.</summary>
    /// <param name="secret">The webhook's signing secret, exactly as configured at the sender.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="AutomationValidationException">The secret is empty.</exception>
    public WandbSignatureVerifier(string secret)
        : this([WebhookSigningKey.ForWandb(secret)])
    {
    }

    /// <summary>Creates a verifier that accepts a signature made with any of <paramref name="keys"/>.</summary>
    /// <param name="keys">One to <see cref="WebhookSigner.MaxStandardWebhooksKeys"/> W&amp;B keys.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> or one of them is null.</exception>
    /// <exception cref="AutomationValidationException">No keys, too many, or a key for another scheme.</exception>
    public WandbSignatureVerifier(IEnumerable<WebhookSigningKey> keys)
    {
        _keys = VerifierKeys.Check(keys, WebhookSigningScheme.Wandb);
    }

    /// <summary>Verifies a received webhook.</summary>
    /// <param name="body">The exact body bytes received (do not re-serialize the JSON).</param>
    /// <param name="signatureHeader">The value of <c>X-Wandb-Signature</c>, or null when absent.</param>
    /// <returns>Valid, invalid signature, missing header or malformed header.</returns>
    public WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return WebhookVerificationResult.Missing(WebhookHeaderNames.WandbSignature);
        }

        Span<byte> expected = stackalloc byte[_keys.Length * WebhookSigningKey.MacBytes];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i].ComputeMac(body, default, expected.Slice(i * WebhookSigningKey.MacBytes, WebhookSigningKey.MacBytes));
        }

        return SignatureList.Match(signatureHeader.AsSpan().Trim(), null, expected) switch
        {
            SignatureList.Outcome.Match => WebhookVerificationResult.Valid,
            SignatureList.Outcome.NoMatch => WebhookVerificationResult.InvalidSignature,
            _ => WebhookVerificationResult.Malformed(WebhookHeaderNames.WandbSignature, "expected the base64 of a 32-byte HMAC-SHA256"),
        };
    }

    /// <summary>Describes the verifier without revealing keys.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"WandbSignatureVerifier {{ Keys = {_keys.Length} }}";
}
