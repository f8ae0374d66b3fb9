using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Secrets;

/// <summary>
/// The default <see cref="ISecretProtector"/>: AES-256-GCM under the current key of a host-supplied
/// <see cref="SecretKeyRing"/>, a fresh random 96-bit nonce per value, and the key id, team and secret id bound in
/// as associated data. A ciphertext copied to another secret or team, or altered in any bit, fails to decrypt; an
/// old key id still decrypts as long as its key stays in the ring. Thread-safe.
/// </summary>
/// <remarks>
/// Ciphertext layout (<see cref="SecretCiphertext.Data"/>): one version byte (1), the 12-byte nonce, the encrypted
/// UTF-8 value, the 16-byte tag. Associated data: <c>"Automations.Core/secret/v1"</c> followed by the key id, the
/// team and the secret id, each as a 4-byte big-endian length and UTF-8 bytes.
/// </remarks>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int Overhead = 1 + NonceBytes + TagBytes;
    private const int MaxPooledCiphersPerKey = 16;
    private static readonly byte[] s_label = "Automations.Core/secret/v1"u8.ToArray();
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SecretKeyRing _ring;

    // AES-GCM contexts keyed per key id, reused across calls (creating one costs more than decrypting a secret). An
    // instance is used by one call at a time: taken from the bag, returned after. The key bytes are in the ring
    // already, so pooling keeps no secret the protector did not hold before.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CipherPool> _ciphers = new(StringComparer.Ordinal);

    /// <summary>Creates the protector.</summary>
    /// <param name="keyRing">The keys; new values are encrypted under its current key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyRing"/> is null.</exception>
    /// <exception cref="PlatformNotSupportedException">The platform has no AES-GCM.</exception>
    public AesGcmSecretProtector(SecretKeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        if (!AesGcm.IsSupported)
        {
            throw new PlatformNotSupportedException("AES-GCM is not available on this platform; register another ISecretProtector.");
        }

        _ring = keyRing;
    }

    /// <inheritdoc />
    public string CurrentKeyId => _ring.CurrentKeyId;

    /// <summary>Encrypts a value for one secret under the current key.</summary>
    /// <param name="plaintext">The value.</param>
    /// <param name="context">The secret's team and id.</param>
    /// <returns>The ciphertext.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="plaintext"/> is null.</exception>
    /// <exception cref="ArgumentException">The context's team or id is empty.</exception>
    public SecretCiphertext Protect(string plaintext, SecretProtectionContext context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        CheckContext(context);
        var keyId = _ring.CurrentKeyId;
        _ring.TryGetKey(keyId, out var key);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var data = new byte[Overhead + plain.Length];
        try
        {
            data[0] = Version;
            var nonce = data.AsSpan(1, NonceBytes);
            RandomNumberGenerator.Fill(nonce);
            var aes = RentCipher(keyId, key);
            try
            {
                aes.Encrypt(nonce, plain, data.AsSpan(1 + NonceBytes, plain.Length), data.AsSpan(data.Length - TagBytes), AssociatedData(keyId, context));
            }
            finally
            {
                ReturnCipher(keyId, aes);
            }

            return new SecretCiphertext(keyId, data);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Decrypts a value of one secret.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="context">The secret's team and id, as when it was protected.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ciphertext"/> is null.</exception>
    /// <exception cref="ArgumentException">The context's team or id is empty.</exception>
    /// <exception cref="SecretDecryptionException">Unknown key id, malformed, altered or moved ciphertext.</exception>
    public string Unprotect(SecretCiphertext ciphertext, SecretProtectionContext context)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        CheckContext(context);
        if (!_ring.TryGetKey(ciphertext.KeyId, out var key))
        {
            throw new SecretDecryptionException(
                $"The value was encrypted with key '{ciphertext.KeyId}', which is not in the key ring ({string.Join(", ", _ring.KeyIds)}).");
        }

        var data = ciphertext.Data.Span;
        if (data.Length < Overhead || data[0] != Version)
        {
            throw new SecretDecryptionException("The stored ciphertext is malformed (truncated, or an unknown format version).");
        }

        var plain = new byte[data.Length - Overhead];
        var aes = RentCipher(ciphertext.KeyId, key);
        try
        {
            aes.Decrypt(data.Slice(1, NonceBytes), data.Slice(1 + NonceBytes, plain.Length), data[^TagBytes..], plain, AssociatedData(ciphertext.KeyId, context));
            return s_strictUtf8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretDecryptionException(
                "The stored ciphertext does not authenticate: it was altered, or copied from another secret or team.", ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SecretDecryptionException("The decrypted value is not valid UTF-8.", ex);
        }
        finally
        {
            ReturnCipher(ciphertext.KeyId, aes);
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    ValueTask<SecretCiphertext> ISecretProtector.ProtectAsync(string plaintext, SecretProtectionContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(Protect(plaintext, context));

    /// <inheritdoc />
    ValueTask<string> ISecretProtector.UnprotectAsync(SecretCiphertext ciphertext, SecretProtectionContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(Unprotect(ciphertext, context));

    /// <summary>Describes the protector by key ids only.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"AesGcmSecretProtector {{ {_ring} }}";

    private AesGcm RentCipher(string keyId, byte[] key) => _ciphers.GetOrAdd(keyId, static (_, k) => new CipherPool(k), key).Rent();

    private void ReturnCipher(string keyId, AesGcm aes)
    {
        if (_ciphers.TryGetValue(keyId, out var pool))
        {
            pool.Return(aes);
        }
        else
        {
            aes.Dispose();
        }
    }

    /// <summary>A few AES-GCM contexts for one key, handed out one caller at a time (slots swapped atomically).</summary>
    private sealed class CipherPool(byte[] key)
    {
        private readonly AesGcm?[] _slots = new AesGcm?[MaxPooledCiphersPerKey];

        public AesGcm Rent()
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (Volatile.Read(ref _slots[i]) is not null && Interlocked.Exchange(ref _slots[i], null) is { } aes)
                {
                    return aes;
                }
            }

            return new AesGcm(key, TagBytes);
        }

        public void Return(AesGcm aes)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _slots[i], aes, null) is null)
                {
                    return;
                }
            }

            aes.Dispose();
        }

        public override string ToString() => nameof(CipherPool);
    }

    private static void CheckContext(SecretProtectionContext context)
    {
        if (string.IsNullOrEmpty(context.Entity) || string.IsNullOrEmpty(context.SecretId))
        {
            throw new ArgumentException("The protection context needs the secret's team and id.", nameof(context));
        }
    }

    private static byte[] AssociatedData(string keyId, SecretProtectionContext context)
    {
        var length = s_label.Length + 12 + Encoding.UTF8.GetByteCount(keyId) + Encoding.UTF8.GetByteCount(context.Entity) + Encoding.UTF8.GetByteCount(context.SecretId);
        var aad = new byte[length];
        s_label.CopyTo(aad, 0);
        var offset = s_label.Length;
        offset = AppendPart(aad, offset, keyId);
        offset = AppendPart(aad, offset, context.Entity);
        AppendPart(aad, offset, context.SecretId);
        return aad;
    }

    private static int AppendPart(byte[] aad, int offset, string part)
    {
        var written = Encoding.UTF8.GetBytes(part, aad.AsSpan(offset + 4));
        BinaryPrimitives.WriteInt32BigEndian(aad.AsSpan(offset), written);
        return offset + 4 + written;
    }
}
