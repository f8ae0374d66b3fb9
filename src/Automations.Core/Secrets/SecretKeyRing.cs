using System.Collections.Frozen;
using System.Security.Cryptography;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Secrets;

/// <summary>
/// The host's AES-256 keys for encrypting team secrets at rest, each with an id, and which one encrypts new
/// values. Keep old keys in the ring until every secret was re-protected under the current one
/// (<c>SecretManager.ReprotectAsync</c>); a value whose key is gone cannot be decrypted. Immutable; the key bytes
/// are copied in and never exposed. <see cref="ToString"/> shows key ids only.
/// </summary>
/// <example>
/// <code>
/// var ring = SecretKeyRing.FromBase64("2026-02", new Dictionary&lt;string, string&gt;
/// {
///     ["2026-01"] = Environment.GetEnvironmentVariable("SECRETS_KEY_2026_01")!,
///     ["2026-02"] = Environment.GetEnvironmentVariable("SECRETS_KEY_2026_02")!,
/// });
/// </code>
/// </example>
public sealed class SecretKeyRing
{
    /// <summary>The key length: 32 bytes (AES-256).</summary>
    public const int KeyBytes = 32;

    private readonly FrozenDictionary<string, byte[]> _keys;

    /// <summary>Creates a key ring from raw keys.</summary>
    /// <param name="currentKeyId">The id of the key that encrypts new values; must be in <paramref name="keys"/>.</param>
    /// <param name="keys">Key id (1 to 64 ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c>) to 32-byte key; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="AutomationValidationException">Every problem found; messages name key ids, never key bytes.</exception>
    public SecretKeyRing(string currentKeyId, IEnumerable<KeyValuePair<string, byte[]>> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var problems = new ValidationProblemCollector();
        var copies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            var path = $"keys[{id}]";
            if (!SecretCiphertext.CheckKeyId(problems, path, id))
            {
                continue;
            }

            if (key is null || key.Length != KeyBytes)
            {
                problems.Add(path, $"Key '{id}' must be {KeyBytes} bytes (AES-256).");
            }
            else if (!copies.TryAdd(id, (byte[])key.Clone()))
            {
                problems.Add(path, $"Key id '{id}' is given more than once.");
            }
        }

        Validate(currentKeyId, copies, problems);
        _keys = copies.ToFrozenDictionary(StringComparer.Ordinal);
        CurrentKeyId = currentKeyId;
        KeyIds = Array.AsReadOnly(copies.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The id of the key that encrypts new values.</summary>
    public string CurrentKeyId { get; }

    /// <summary>Every key id in the ring, in ordinal order.</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>Creates a key ring from base64-encoded keys (as configuration and environment variables carry them).</summary>
    /// <param name="currentKeyId">The id of the key that encrypts new values.</param>
    /// <param name="keys">Key id to base64 of 32 bytes.</param>
    /// <returns>The key ring.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="AutomationValidationException">Every problem found; messages name key ids, never key text.</exception>
    public static SecretKeyRing FromBase64(string currentKeyId, IEnumerable<KeyValuePair<string, string>> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var problems = new ValidationProblemCollector();
        var decoded = new List<KeyValuePair<string, byte[]>>();
        foreach (var (id, text) in keys)
        {
            var bytes = new byte[KeyBytes];
            if (text is null || !Convert.TryFromBase64String(text.Trim(), bytes, out var written) || written != KeyBytes)
            {
                CryptographicOperations.ZeroMemory(bytes);
                problems.Add($"keys[{id}]", $"Key '{id}' must be base64 of exactly {KeyBytes} random bytes (see SecretKeyRing.GenerateKey).");
                continue;
            }

            decoded.Add(new(id, bytes));
        }

        try
        {
            if (!problems.IsValid)
            {
                // Report the current key id too, as the constructor would.
                var ids = keys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
                if (string.IsNullOrEmpty(currentKeyId) || !ids.Contains(currentKeyId))
                {
                    problems.Add("currentKeyId", string.IsNullOrEmpty(currentKeyId) ? "The current key id is required." : $"The current key id '{currentKeyId}' is not in the key ring.");
                }

                problems.ThrowIfInvalid();
            }

            return new SecretKeyRing(currentKeyId, decoded);
        }
        finally
        {
            foreach (var (_, bytes) in decoded)
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
    }

    /// <summary>Generates a new random key, base64-encoded, for a host to add to its key ring.</summary>
    /// <returns>Base64 of 32 random bytes.</returns>
    public static string GenerateKey()
    {
        Span<byte> key = stackalloc byte[KeyBytes];
        RandomNumberGenerator.Fill(key);
        var text = Convert.ToBase64String(key);
        CryptographicOperations.ZeroMemory(key);
        return text;
    }

    /// <summary>Describes the ring by key ids only.</summary>
    /// <returns>For example <c>SecretKeyRing { Current = 2026-02, Keys = [2026-01, 2026-02] }</c>.</returns>
    public override string ToString() => $"SecretKeyRing {{ Current = {CurrentKeyId}, Keys = [{string.Join(", ", KeyIds)}] }}";

    /// <summary>A ring of one random key that lives as long as the process (only for the in-memory secret store).</summary>
    internal static SecretKeyRing CreateEphemeral()
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            return new SecretKeyRing("ephemeral", [new("ephemeral", key)]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The key for an id (the ring's own array: never hand it out).</summary>
    internal bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    private static void Validate(string currentKeyId, Dictionary<string, byte[]> keys, ValidationProblemCollector problems)
    {
        if (keys.Count == 0 && problems.IsValid)
        {
            problems.Add("keys", "The key ring needs at least one key.");
        }

        if (string.IsNullOrEmpty(currentKeyId))
        {
            problems.Add("currentKeyId", "The current key id is required.");
        }
        else if (keys.Count > 0 && !keys.ContainsKey(currentKeyId))
        {
            problems.Add("currentKeyId", $"The current key id '{currentKeyId}' is not in the key ring.");
        }

        if (!problems.IsValid)
        {
            foreach (var key in keys.Values)
            {
                CryptographicOperations.ZeroMemory(key);
            }

            problems.ThrowIfInvalid();
        }
    }
}
