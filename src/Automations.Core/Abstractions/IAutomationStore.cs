using Automations.Core.Domain;
using Automations.Core.Domain.Events;

namespace Automations.Core.Abstractions;

/// <summary>
/// Persistence for automations. Implementations enforce id uniqueness and name uniqueness per scope, and answer
/// <see cref="FindCandidatesAsync"/> from an index (by scope and event type), never by scanning every automation.
/// </summary>
public interface IAutomationStore
{
    /// <summary>Adds an automation.</summary>
    /// <param name="automation">The automation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="StoreWriteResult.Applied"/>, or the conflict that prevented the write.</returns>
    ValueTask<StoreWriteResult> AddAsync(Automation automation, CancellationToken cancellationToken = default);

    /// <summary>Replaces an automation with the same id.</summary>
    /// <param name="automation">The new version.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="StoreWriteResult.Applied"/>, <see cref="StoreWriteResult.NotFound"/> or <see cref="StoreWriteResult.NameConflict"/>.</returns>
    ValueTask<StoreWriteResult> UpdateAsync(Automation automation, CancellationToken cancellationToken = default);

    /// <summary>Deletes an automation.</summary>
    /// <param name="id">The automation id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gets an automation by id.</summary>
    /// <param name="id">The automation id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The automation, or null.</returns>
    ValueTask<Automation?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists a team's automations ordered by name then id.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    ValueTask<Page<Automation>> ListAsync(string entity, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the enabled automations whose scope can see the event, whose trigger's event type is the event's, and
    /// whose trigger collection is null or the event's collection. The caller still applies the event filter.
    /// </summary>
    /// <param name="artifactEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The candidates (possibly empty).</returns>
    ValueTask<IReadOnlyList<Automation>> FindCandidatesAsync(ArtifactEvent artifactEvent, CancellationToken cancellationToken = default);
}
