using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Secrets;

/// <summary>
/// The engine's default <see cref="ISecretResolver"/>: finds the team's record in the <see cref="ISecretStore"/> and
/// decrypts it with the <see cref="ISecretProtector"/> at delivery time. Nothing is cached. A value that does not
/// decrypt is a <see cref="SecretDecryptionException"/> naming the secret and the reason, never the value.
/// </summary>
internal sealed class EncryptedSecretResolver(ISecretStore store, ISecretProtector protector, TimeProvider time) : ISecretResolver
{
    public async ValueTask<string?> GetSecretAsync(string entity, string name, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(entity, name, cancellationToken).ConfigureAwait(false);
        return record is null ? null : await DecryptAsync(record, record.Value, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> SecretExistsAsync(string entity, string name, CancellationToken cancellationToken = default)
        => await FindAsync(entity, name, cancellationToken).ConfigureAwait(false) is not null;

    public async ValueTask<IReadOnlyList<string>?> GetSigningSecretsAsync(string entity, string name, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(entity, name, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var current = await DecryptAsync(record, record.Value, cancellationToken).ConfigureAwait(false);
        if (!record.HasPreviousValueAt(time.GetUtcNow()))
        {
            return [current];
        }

        try
        {
            return [current, await DecryptAsync(record, record.PreviousValue!, cancellationToken).ConfigureAwait(false)];
        }
        catch (SecretDecryptionException)
        {
            // The previous value only eases a rotation; the current one still signs.
            return [current];
        }
    }

    public override string ToString() => $"{nameof(EncryptedSecretResolver)} ({protector.GetType().Name})";

    private async ValueTask<SecretRecord?> FindAsync(string entity, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(entity) || string.IsNullOrEmpty(name))
        {
            return null;
        }

        var record = await store.FindByNameAsync(entity, name, cancellationToken).ConfigureAwait(false);

        // A store must answer for the team asked; a record of another team is never used.
        return record is not null && string.Equals(record.Entity, entity, StringComparison.Ordinal)
                                  && string.Equals(record.Name, name, StringComparison.Ordinal)
            ? record
            : null;
    }

    private async ValueTask<string> DecryptAsync(SecretRecord record, SecretCiphertext ciphertext, CancellationToken cancellationToken)
    {
        try
        {
            return await protector.UnprotectAsync(ciphertext, new SecretProtectionContext(record.Entity, record.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (SecretDecryptionException ex)
        {
            throw new SecretDecryptionException($"Secret '{record.Name}' of team '{record.Entity}' cannot be decrypted: {ex.Message}", ex);
        }
    }
}
