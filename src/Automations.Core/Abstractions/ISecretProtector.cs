using Automations.Core.Domain.Secrets;

namespace Automations.Core.Abstractions;

/// <summary>
/// Encrypts team secret values at rest. The default is <c>AesGcmSecretProtector</c> (AES-256-GCM with a
/// host-supplied key ring); a host can register another (a KMS, ASP.NET Core Data Protection) with
/// <c>AddSecretProtector&lt;T&gt;()</c>. Implementations must bind the <see cref="SecretProtectionContext"/> into
/// the ciphertext, so that a ciphertext copied to another secret or team fails to decrypt.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The key id new ciphertext is written with; ciphertext under another key id can be re-protected.</summary>
    string CurrentKeyId { get; }

    /// <summary>Encrypts a value for one secret.</summary>
    /// <param name="plaintext">The value.</param>
    /// <param name="context">The secret's id and team, bound in as associated data.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ciphertext, under <see cref="CurrentKeyId"/>.</returns>
    ValueTask<SecretCiphertext> ProtectAsync(string plaintext, SecretProtectionContext context, CancellationToken cancellationToken = default);

    /// <summary>Decrypts a value of one secret.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="context">The secret's id and team; must be the ones it was protected with.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The value.</returns>
    /// <exception cref="Domain.SecretDecryptionException">
    /// The key id is unknown, or the ciphertext does not authenticate (altered, or moved from another secret or team).
    /// The message never contains key material or plaintext.
    /// </exception>
    ValueTask<string> UnprotectAsync(SecretCiphertext ciphertext, SecretProtectionContext context, CancellationToken cancellationToken = default);
}

/// <summary>What a secret's ciphertext is bound to: the secret's id and its team.</summary>
/// <param name="Entity">The entity (team) owning the secret.</param>
/// <param name="SecretId">The secret's id (stable across renames and value replacements).</param>
public readonly record struct SecretProtectionContext(string Entity, string SecretId);
