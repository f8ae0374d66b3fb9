using Automations.Core.Domain.Secrets;

namespace Automations.Core.Abstractions;

/// <summary>
/// Persistence for team secrets. It holds <see cref="SecretRecord"/>s, whose values are ciphertext produced by an
/// <see cref="ISecretProtector"/>: a store never sees a plaintext value. Ids are unique; names are unique per team
/// (ordinal). Implementations copy nothing but what the record carries and keep no other state.
/// </summary>
public interface ISecretStore
{
    /// <summary>Adds a secret.</summary>
    /// <param name="secret">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="StoreWriteResult.Applied"/>, <see cref="StoreWriteResult.IdConflict"/> or <see cref="StoreWriteResult.NameConflict"/>.</returns>
    ValueTask<StoreWriteResult> AddAsync(SecretRecord secret, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the record with the same id (new value, new name, or both), only if the stored record's
    /// <see cref="SecretRecord.Version"/> is <c>secret.Version - 1</c> (optimistic concurrency; in SQL:
    /// <c>UPDATE … WHERE id = @id AND version = @version - 1</c>).
    /// </summary>
    /// <param name="secret">The new version; its team must be the stored one's.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// <see cref="StoreWriteResult.Applied"/>, <see cref="StoreWriteResult.NotFound"/> (no such id in that team),
    /// <see cref="StoreWriteResult.StaleVersion"/> (changed meanwhile) or <see cref="StoreWriteResult.NameConflict"/>.
    /// </returns>
    ValueTask<StoreWriteResult> UpdateAsync(SecretRecord secret, CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret.</summary>
    /// <param name="id">The secret id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gets a secret by id.</summary>
    /// <param name="id">The secret id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or null.</returns>
    ValueTask<SecretRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Finds a team's secret by name (ordinal).</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or null.</returns>
    ValueTask<SecretRecord?> FindByNameAsync(string entity, string name, CancellationToken cancellationToken = default);

    /// <summary>Lists a team's secrets ordered by name (ordinal).</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records.</returns>
    ValueTask<IReadOnlyList<SecretRecord>> ListAsync(string entity, CancellationToken cancellationToken = default);
}
