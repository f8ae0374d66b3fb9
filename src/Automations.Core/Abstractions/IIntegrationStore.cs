using Automations.Core.Domain.Integrations;

namespace Automations.Core.Abstractions;

/// <summary>Persistence for team webhook integrations. Names are unique per team.</summary>
public interface IIntegrationStore
{
    /// <summary>Adds an integration.</summary>
    /// <param name="integration">The integration.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="StoreWriteResult.Applied"/>, or the conflict that prevented the write.</returns>
    ValueTask<StoreWriteResult> AddAsync(WebhookIntegration integration, CancellationToken cancellationToken = default);

    /// <summary>Replaces the integration with the same id.</summary>
    /// <param name="integration">The new version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="StoreWriteResult.Applied"/>, <see cref="StoreWriteResult.NotFound"/> or <see cref="StoreWriteResult.NameConflict"/>.</returns>
    ValueTask<StoreWriteResult> UpdateAsync(WebhookIntegration integration, CancellationToken cancellationToken = default);

    /// <summary>Deletes an integration.</summary>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gets an integration.</summary>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The integration, or null.</returns>
    ValueTask<WebhookIntegration?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists a team's integrations ordered by name.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The integrations.</returns>
    ValueTask<IReadOnlyList<WebhookIntegration>> ListAsync(string entity, CancellationToken cancellationToken = default);
}
