using System.Security.Cryptography;
using System.Text;
using Automations.Core.Domain;

namespace Automations.Core.Signing;

/// <summary>
/// One HMAC-SHA256 signing key for one scheme. Build it once per secret and reuse it: it keeps a small pool of keyed
/// hash objects, so signing and verifying allocate nothing per message. Thread-safe. Its <see cref="ToString"/> never
/// shows the key.
/// </summary>
/// <remarks>
/// <para>W&amp;B keys (<see cref="ForWandb"/>) are the secret's UTF-8 bytes, exactly as W&amp;B and
/// <c>openssl dgst -sha256 -hmac "$SECRET"</c> use them.</para>
/// <para>Standard Webhooks keys (<see cref="ForStandardWebhooks(string)"/>) are the base64-decoded part of a
/// <c>whsec_</c> secret. Padded and unpadded base64 are accepted. A secret without the <c>whsec_</c> prefix is
/// decoded as base64 too, as every Standard Webhooks reference library does; it must still be strict base64 of 24 to
/// 64 bytes, so a W&amp;B-style pass phrase is refused rather than silently turned into some other key.</para>
/// </remarks>
public sealed class WebhookSigningKey
{
    /// <summary>The prefix of a serialized Standard Webhooks secret.</summary>
    public const string StandardWebhooksSecretPrefix = "whsec_";

    /// <summary>Smallest Standard Webhooks key the specification allows, in bytes (192 bits).</summary>
    public const int MinStandardWebhooksKeyBytes = 24;

    /// <summary>Largest Standard Webhooks key the specification allows, in bytes (512 bits).</summary>
    public const int MaxStandardWebhooksKeyBytes = 64;

    /// <summary>Length of an HMAC-SHA256 value in bytes.</summary>
    internal const int MacBytes = HMACSHA256.HashSizeInBytes;

    /// <summary>Length of an HMAC-SHA256 value in padded base64 characters.</summary>
    internal const int MacBase64Chars = 44;

    private const string Redacted = "[redacted]";

    private readonly byte[] _key;
    private readonly IncrementalHash?[] _pool;

    private WebhookSigningKey(WebhookSigningScheme scheme, byte[] key)
    {
        Scheme = scheme;
        _key = key;
        _pool = new IncrementalHash?[Math.Clamp(Environment.ProcessorCount, 2, 16)];
    }

    /// <summary>The scheme this key signs for: <see cref="WebhookSigningScheme.Wandb"/> or <see cref="WebhookSigningScheme.StandardWebhooks"/>.</summary>
    public WebhookSigningScheme Scheme { get; }

    /// <summary>Creates a W&amp;B key: HMAC-SHA256 keyed with the secret's UTF-8 bytes.</summary>
    /// <param name="secret">The webhook's signing secret, used exactly as given (no trimming).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="AutomationValidationException">The secret is empty.</exception>
    public static WebhookSigningKey ForWandb(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length == 0)
        {
            throw new AutomationValidationException("secret", "The W&B signing secret must not be empty.");
        }

        return new WebhookSigningKey(WebhookSigningScheme.Wandb, Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>
    /// Creates a Standard Webhooks key from a serialized secret: <c>whsec_</c> followed by base64 (padded or not) of
    /// 24 to 64 bytes. The prefix may be left out.
    /// </summary>
    /// <param name="secret">The serialized secret, for example <c>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="AutomationValidationException">The secret is not base64 or its key is too short or too long; the message never repeats the secret.</exception>
    public static WebhookSigningKey ForStandardWebhooks(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.AsSpan();
        if (encoded.StartsWith(StandardWebhooksSecretPrefix, StringComparison.Ordinal))
        {
            encoded = encoded[StandardWebhooksSecretPrefix.Length..];
        }

        if (!TryDecodeBase64(encoded, out var key))
        {
            throw new AutomationValidationException(
                "secret",
                "A Standard Webhooks secret must be 'whsec_' followed by base64 (padded or unpadded, alphabet A-Z a-z 0-9 + /).");
        }

        return ForStandardWebhooksOwned(key);
    }

    /// <summary>Creates a Standard Webhooks key from the raw key bytes (24 to 64 bytes).</summary>
    /// <param name="key">The key bytes; copied.</param>
    /// <returns>The key.</returns>
    /// <exception cref="AutomationValidationException">The key is shorter than 24 or longer than 64 bytes.</exception>
    public static WebhookSigningKey ForStandardWebhooks(ReadOnlySpan<byte> key) => ForStandardWebhooksOwned(key.ToArray());

    /// <summary>Creates a key for <paramref name="scheme"/> from a secret string (see <see cref="ForWandb"/> and <see cref="ForStandardWebhooks(string)"/>).</summary>
    /// <param name="scheme">Exactly one scheme.</param>
    /// <param name="secret">The secret.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="AutomationValidationException">The scheme is not exactly one scheme, or the secret is invalid for it.</exception>
    public static WebhookSigningKey Create(WebhookSigningScheme scheme, string secret) => scheme switch
    {
        WebhookSigningScheme.Wandb => ForWandb(secret),
        WebhookSigningScheme.StandardWebhooks => ForStandardWebhooks(secret),
        _ => throw new AutomationValidationException("scheme", "A signing key is for exactly one scheme: Wandb or StandardWebhooks."),
    };

    /// <summary>Creates a new random Standard Webhooks secret: <c>whsec_</c> and base64 of 32 random bytes.</summary>
    /// <returns>The serialized secret, to store and share with the receiver.</returns>
    public static string GenerateStandardWebhooksSecret()
    {
        Span<byte> key = stackalloc byte[32];
        RandomNumberGenerator.Fill(key);
        var secret = StandardWebhooksSecretPrefix + Convert.ToBase64String(key);
        CryptographicOperations.ZeroMemory(key);
        return secret;
    }

    /// <summary>Describes the key without revealing it.</summary>
    /// <returns><c>WebhookSigningKey { Scheme = ..., Key = [redacted] }</c>.</returns>
    public override string ToString() => $"WebhookSigningKey {{ Scheme = {Scheme}, Key = {Redacted} }}";

    /// <summary>Computes HMAC-SHA256 over <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    /// <param name="first">First part of the message (may be empty).</param>
    /// <param name="second">Second part of the message (may be empty).</param>
    /// <param name="destination">At least <see cref="MacBytes"/> bytes.</param>
    internal void ComputeMac(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        var hash = Rent();
        var clean = false;
        try
        {
            hash.AppendData(first);
            hash.AppendData(second);
            hash.GetHashAndReset(destination);
            clean = true;
        }
        finally
        {
            if (clean)
            {
                Return(hash);
            }
            else
            {
                hash.Dispose();
            }
        }
    }

    /// <summary>Decodes strict base64 (standard alphabet), padded or unpadded; no whitespace.</summary>
    internal static bool TryDecodeBase64(ReadOnlySpan<char> encoded, out byte[] bytes)
    {
        bytes = [];
        var data = encoded;
        var padding = 0;
        while (padding < 2 && data.Length > 0 && data[^1] == '=')
        {
            data = data[..^1];
            padding++;
        }

        if (data.Length == 0)
        {
            return false;
        }

        foreach (var c in data)
        {
            if (!IsBase64Char(c))
            {
                return false;
            }
        }

        var remainder = data.Length % 4;
        if (remainder == 1 || (padding > 0 && (data.Length + padding) % 4 != 0))
        {
            return false;
        }

        var padded = remainder == 0 ? data.ToString() : string.Concat(data, "==".AsSpan(0, 4 - remainder));
        bytes = Convert.FromBase64String(padded);
        return true;
    }

    private static bool IsBase64Char(char c) =>
        char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/';

    private static WebhookSigningKey ForStandardWebhooksOwned(byte[] key)
    {
        if (key.Length is < MinStandardWebhooksKeyBytes or > MaxStandardWebhooksKeyBytes)
        {
            var length = key.Length;
            CryptographicOperations.ZeroMemory(key);
            throw new AutomationValidationException(
                "secret",
                $"A Standard Webhooks key must be {MinStandardWebhooksKeyBytes} to {MaxStandardWebhooksKeyBytes} bytes; this one is {length} bytes.");
        }

        return new WebhookSigningKey(WebhookSigningScheme.StandardWebhooks, key);
    }

    private IncrementalHash Rent()
    {
        var pool = _pool;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is not null)
            {
                var hash = Interlocked.Exchange(ref pool[i], null);
                if (hash is not null)
                {
                    return hash;
                }
            }
        }

        return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    private void Return(IncrementalHash hash)
    {
        var pool = _pool;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref pool[i], hash, null) is null)
            {
                return;
            }
        }

        hash.Dispose();
    }
}
