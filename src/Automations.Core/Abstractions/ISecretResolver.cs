namespace Automations.Core.Abstractions;

/// <summary>
/// Reads a team secret's value at delivery time (for a template placeholder, a signing secret or an access
/// token). Only the engine calls it; no public API reads a secret back. The default implementation decrypts the
/// records of the registered <see cref="ISecretStore"/> with the registered <see cref="ISecretProtector"/>; a host
/// with its own vault can register another with <c>AddSecretResolver&lt;T&gt;()</c>.
/// </summary>
public interface ISecretResolver
{
    /// <summary>Gets a secret's current value.</summary>
    /// <param name="entity">The entity (team) owning the secret.</param>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The value, or null when the team has no such secret.</returns>
    /// <exception cref="Domain.SecretDecryptionException">The secret exists but its value cannot be decrypted.</exception>
    ValueTask<string?> GetSecretAsync(string entity, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the team has the secret, without reading its value (used when automations and integrations are
    /// saved). The default implementation calls <see cref="GetSecretAsync"/>.
    /// </summary>
    /// <param name="entity">The entity (team) owning the secret.</param>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it exists.</returns>
    async ValueTask<bool> SecretExistsAsync(string entity, string name, CancellationToken cancellationToken = default)
        => await GetSecretAsync(entity, name, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// Gets the values a signing secret signs with: the current value first, then the previous value while it is
    /// inside the rotation grace period chosen when the value was replaced. The default implementation returns the
    /// current value only.
    /// </summary>
    /// <param name="entity">The entity (team) owning the secret.</param>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The values (current first), or null when the team has no such secret.</returns>
    /// <exception cref="Domain.SecretDecryptionException">The current value cannot be decrypted.</exception>
    async ValueTask<IReadOnlyList<string>?> GetSigningSecretsAsync(string entity, string name, CancellationToken cancellationToken = default)
        => await GetSecretAsync(entity, name, cancellationToken).ConfigureAwait(false) is { } value ? [value] : null;
}
