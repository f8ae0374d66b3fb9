using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;

namespace Automations.Core.Abstractions;

/// <summary>
/// The durable queue of events and deliveries. Claims are leases (due time + lease token); completions are fenced
/// by the lease token; attempts are counted at claim time; publishing is idempotent on the event id and atomic
/// (the event and all its deliveries, or nothing).
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Records the event and its planned deliveries in one step. When an event with the same id was already
    /// recorded, nothing is written and <c>false</c> is returned.
    /// </summary>
    /// <param name="artifactEvent">The event.</param>
    /// <param name="deliveries">The deliveries planned for it (possibly none).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when the event was new.</returns>
    ValueTask<bool> PublishAsync(ArtifactEvent artifactEvent, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records several events and their planned deliveries, in order, as <see cref="PublishAsync"/> does for one.
    /// Durable stores write the whole batch in one transaction (all or nothing); an event whose id was already
    /// recorded, or that appears earlier in the same batch, is skipped. The default implementation publishes the
    /// events one by one (each atomic on its own).
    /// </summary>
    /// <param name="batch">The events and their deliveries.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One flag per item, in order: true when the event was new.</returns>
    async ValueTask<IReadOnlyList<bool>> PublishManyAsync(IReadOnlyList<PlannedEvent> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = await PublishAsync(batch[i].Event, batch[i].Deliveries, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Claims up to <paramref name="maxCount"/> pending deliveries due at <paramref name="now"/> (or whose lease
    /// lapsed), oldest due first, incrementing their attempt count. A delivery under a live lease is never claimed.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxCount">The most deliveries to claim.</param>
    /// <param name="leaseDuration">How long the claim lasts.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The leases (possibly empty).</returns>
    ValueTask<IReadOnlyList<DeliveryLease>> ClaimDueAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Records how a claimed attempt ended, if the lease is still the delivery's current lease.</summary>
    /// <param name="lease">The lease returned by <see cref="ClaimDueAsync"/>.</param>
    /// <param name="completion">How the attempt ended.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the lease was lost (expired and reclaimed); nothing is written then.</returns>
    ValueTask<bool> CompleteAsync(DeliveryLease lease, DeliveryCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a claimed delivery back without counting the attempt (for example when its endpoint is at its
    /// concurrency limit), due again at <paramref name="dueAt"/>. Fenced by the lease token like
    /// <see cref="CompleteAsync"/>.
    /// </summary>
    /// <param name="lease">The lease returned by <see cref="ClaimDueAsync"/>.</param>
    /// <param name="dueAt">When the delivery is due again.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the lease was lost.</returns>
    ValueTask<bool> ReleaseAsync(DeliveryLease lease, DateTimeOffset dueAt, CancellationToken cancellationToken = default);

    /// <summary>Puts a dead delivery back in the queue, due at <paramref name="now"/>, keeping its id.</summary>
    /// <param name="deliveryId">The delivery.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the delivery does not exist or is not dead.</returns>
    ValueTask<bool> RedeliverAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gets a delivery.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The delivery, or null.</returns>
    ValueTask<Delivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Lists an automation's deliveries, newest first, optionally only those with one status.</summary>
    /// <param name="automationId">The automation.</param>
    /// <param name="status">Only this status, or null for all.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    ValueTask<Page<Delivery>> ListByAutomationAsync(string automationId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Counts pending deliveries (the queue depth).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountPendingAsync(CancellationToken cancellationToken = default);
}
