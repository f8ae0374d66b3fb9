using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Secrets;

/// <summary>
/// The engine's default <see cref="ISecretResolver"/>: finds the team's record in the <see cref="ISecretStore"/> and
/// decrypts it with the <see cref="ISecretProtector"/> at delivery time. A value that does not decrypt is a
/// <see cref="SecretDecryptionException"/> naming the secret and the reason, never the value.
/// </summary>
/// <remarks>
/// Decryption is remembered per ciphertext <em>object</em> (weakly, for as long as the store keeps that object and
/// only for the same team and secret id it was bound to): a store that hands out the same object on every read
/// (the in-memory store, which lives in this process next to the key ring anyway) is decrypted once per value; a
/// store that materialises records per read (SQLite) is decrypted on every read, so no plaintext outlives it. A
/// replaced value is a new ciphertext object, so a rotation is seen at once.
/// </remarks>
internal sealed class EncryptedSecretResolver(ISecretStore store, ISecretProtector protector, TimeProvider time) : ISecretResolver
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SecretCiphertext, Decrypted> _decrypted = new();

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
        if (record.PreviousValue is null || !record.HasPreviousValueAt(time.GetUtcNow()))
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

    private ValueTask<string> DecryptAsync(SecretRecord record, SecretCiphertext ciphertext, CancellationToken cancellationToken)
    {
        // Only a value decrypted for this very team and secret is reused: a ciphertext moved elsewhere is decrypted
        // again, with its new context, and fails to authenticate.
        return _decrypted.TryGetValue(ciphertext, out var known)
               && string.Equals(known.Entity, record.Entity, StringComparison.Ordinal)
               && string.Equals(known.SecretId, record.Id, StringComparison.Ordinal)
            ? ValueTask.FromResult(known.Value)
            : DecryptCoreAsync(record, ciphertext, cancellationToken);
    }

    private async ValueTask<string> DecryptCoreAsync(SecretRecord record, SecretCiphertext ciphertext, CancellationToken cancellationToken)
    {
        try
        {
            var value = await protector.UnprotectAsync(ciphertext, new SecretProtectionContext(record.Entity, record.Id), cancellationToken).ConfigureAwait(false);
            _decrypted.AddOrUpdate(ciphertext, new Decrypted(record.Entity, record.Id, value));
            return value;
        }
        catch (SecretDecryptionException ex)
        {
            throw new SecretDecryptionException($"Secret '{record.Name}' of team '{record.Entity}' cannot be decrypted: {ex.Message}", ex);
        }
    }

    private sealed class Decrypted(string entity, string secretId, string value)
    {
        public string Entity { get; } = entity;

        public string SecretId { get; } = secretId;

        public string Value { get; } = value;

        public override string ToString() => $"{nameof(Decrypted)} {{ {Entity}/{SecretId}, [redacted] }}";
    }
}
