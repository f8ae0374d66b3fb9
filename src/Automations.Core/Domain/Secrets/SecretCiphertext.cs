using System.Security.Cryptography;

namespace Automations.Core.Domain.Secrets;

/// <summary>
/// An encrypted secret value as stored: the id of the key that encrypted it and the opaque ciphertext bytes (for
/// the default protector: version, nonce, ciphertext and tag). Immutable; the bytes are copied in and cannot be
/// changed. <see cref="ToString"/> shows the key id and length only.
/// </summary>
public sealed class SecretCiphertext : IEquatable<SecretCiphertext>
{
    /// <summary>The longest key id accepted.</summary>
    public const int MaxKeyIdLength = 64;

    /// <summary>The largest ciphertext accepted, in bytes.</summary>
    public const int MaxLength = 256 * 1024;

    private readonly byte[] _data;

    /// <summary>Creates a ciphertext value.</summary>
    /// <param name="keyId">The key id: 1 to 64 ASCII letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
    /// <param name="data">The ciphertext bytes (1 to <see cref="MaxLength"/>); copied.</param>
    /// <exception cref="AutomationValidationException">The key id or the length is invalid (every problem listed).</exception>
    public SecretCiphertext(string keyId, ReadOnlySpan<byte> data)
    {
        var problems = new ValidationProblemCollector();
        CheckKeyId(problems, "keyId", keyId);
        if (data.IsEmpty || data.Length > MaxLength)
        {
            problems.Add("data", $"Ciphertext must be 1 to {MaxLength} bytes (got {data.Length}).");
        }

        problems.ThrowIfInvalid();
        KeyId = keyId;
        _data = data.ToArray();
    }

    /// <summary>The id of the key that encrypted the value.</summary>
    public string KeyId { get; }

    /// <summary>The ciphertext bytes.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Compares two ciphertexts (key id and bytes).</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(SecretCiphertext? left, SecretCiphertext? right) => Equals(left, right);

    /// <summary>Compares two ciphertexts (key id and bytes).</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(SecretCiphertext? left, SecretCiphertext? right) => !Equals(left, right);

    /// <summary>A copy of the ciphertext bytes (for a store to write).</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray() => (byte[])_data.Clone();

    /// <inheritdoc />
    public bool Equals(SecretCiphertext? other) =>
        other is not null
        && string.Equals(KeyId, other.KeyId, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(_data, other._data);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretCiphertext);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(KeyId), _data.Length);

    /// <summary>Describes the ciphertext without its bytes.</summary>
    /// <returns>For example <c>SecretCiphertext { KeyId = 2026-01, Bytes = 57 }</c>.</returns>
    public override string ToString() => $"SecretCiphertext {{ KeyId = {KeyId}, Bytes = {_data.Length} }}";

    /// <summary>Checks a key id: 1 to 64 ASCII letters, digits, '-', '_' or '.'.</summary>
    internal static bool CheckKeyId(ValidationProblemCollector problems, string path, string? keyId)
    {
        if (string.IsNullOrEmpty(keyId) || keyId.Length > MaxKeyIdLength
            || !keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add(path, $"A key id is 1 to {MaxKeyIdLength} ASCII letters, digits, '-', '_' or '.'.");
            return false;
        }

        return true;
    }
}
