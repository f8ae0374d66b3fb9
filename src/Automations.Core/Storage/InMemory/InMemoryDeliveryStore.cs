using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// An in-memory <see cref="IDeliveryStore"/> with the same semantics as the durable stores: idempotent atomic
/// publish, leases with tokens, fenced completion, attempts counted at claim time. Contents are lost when the
/// process ends, and what is finished is kept only up to the limits of <see cref="InMemoryStoreOptions"/>: the
/// most recent finished (succeeded or suppressed) deliveries per automation and the most recent event ids.
/// Pending, leased and dead deliveries are always kept.
/// </summary>
public sealed class InMemoryDeliveryStore : IDeliveryStore
{
    private readonly object _gate = new();
    private readonly int _finishedPerAutomation;
    private readonly int _rememberedEventIds;
    // Event ids in two generations of at most _rememberedEventIds each: when the current one is full it becomes the
    // previous one and the old previous one is dropped whole (no removal per id).
    private HashSet<string> _events = new(StringComparer.Ordinal);
    private HashSet<string> _previousEvents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _batchEvents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _batchDeliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _deliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AutomationDeliveries> _byAutomation = new(StringComparer.Ordinal);
    // Queue items carry the entry and the version it had when queued: a changed version marks the item stale.
    private readonly PriorityQueue<(Entry Entry, long Version), (DateTimeOffset DueAt, long Sequence)> _due = new();

    // Live leases by expiry. Kept apart from the due queue so a completed lease (the usual case) is dropped as soon
    // as it reaches the front, instead of lingering in the due queue until its expiry.
    private readonly PriorityQueue<(Entry Entry, long Version), (DateTimeOffset ExpiresAt, long Sequence)> _leases = new();
    private long _sequence;
    private long _created;
    private long _pending;

    /// <summary>Creates a store with the default limits of <see cref="InMemoryStoreOptions"/>.</summary>
    public InMemoryDeliveryStore()
        : this(new InMemoryStoreOptions())
    {
    }

    /// <summary>Creates a store keeping finished deliveries and event ids up to the given limits.</summary>
    /// <param name="options">The limits.</param>
    /// <exception cref="Domain.AutomationValidationException">A limit is below 1.</exception>
    public InMemoryDeliveryStore(InMemoryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _finishedPerAutomation = options.FinishedDeliveriesPerAutomation;
        _rememberedEventIds = options.RememberedEventIds;
    }

    /// <inheritdoc />
    public ValueTask<bool> PublishAsync(ArtifactEvent artifactEvent, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        ArgumentNullException.ThrowIfNull(deliveries);
        return ValueTask.FromResult(PublishMany([new PlannedEvent(artifactEvent, deliveries)])[0]);
    }

    /// <inheritdoc />
    /// <remarks>The whole batch is written, or nothing (when a delivery id is already used).</remarks>
    public ValueTask<IReadOnlyList<bool>> PublishManyAsync(IReadOnlyList<PlannedEvent> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return ValueTask.FromResult<IReadOnlyList<bool>>(PublishMany(batch));
    }

    private bool[] PublishMany(IReadOnlyList<PlannedEvent> batch)
    {
        lock (_gate)
        {
            bool[] results;
            try
            {
                results = CheckBatch(batch);
            }
            finally
            {
                _batchEvents.Clear();
                _batchDeliveries.Clear();
            }

            for (var i = 0; i < batch.Count; i++)
            {
                if (results[i])
                {
                    Insert(batch[i]);
                }
            }

            return results;
        }
    }

    /// <summary>
    /// Which events of the batch are new, throwing (before anything is written) on a delivery id already used.
    /// Duplicates within the batch are tracked only when there can be any (a single event with a single delivery,
    /// the usual publish, needs no sets); the sets are kept for the next batch and cleared by the caller.
    /// </summary>
    private bool[] CheckBatch(IReadOnlyList<PlannedEvent> batch)
    {
        var results = new bool[batch.Count];
        var newEvents = batch.Count > 1 ? _batchEvents : null;
        HashSet<string>? newDeliveries = null;
        string? firstDelivery = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var (artifactEvent, deliveries) = batch[i];
            ArgumentNullException.ThrowIfNull(artifactEvent);
            ArgumentNullException.ThrowIfNull(deliveries);
            if (_events.Contains(artifactEvent.EventId) || _previousEvents.Contains(artifactEvent.EventId)
                || (newEvents is not null && !newEvents.Add(artifactEvent.EventId)))
            {
                continue;
            }

            results[i] = true;
            for (var j = 0; j < deliveries.Count; j++)
            {
                var delivery = deliveries[j];
                var repeated = false;
                if (firstDelivery is null)
                {
                    firstDelivery = delivery.Id;
                }
                else
                {
                    if (newDeliveries is null)
                    {
                        newDeliveries = _batchDeliveries;
                        newDeliveries.Add(firstDelivery);
                    }

                    repeated = !newDeliveries.Add(delivery.Id);
                }

                if (repeated || _deliveries.ContainsKey(delivery.Id))
                {
                    throw new InvalidOperationException($"Delivery id '{delivery.Id}' is already used.");
                }
            }
        }

        return results;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryLease>> ClaimDueAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        lock (_gate)
        {
            ExpireLeases(now);
            // One claim at a time is the usual case (a slot chaining to the next delivery): an array of one then.
            DeliveryLease? first = null;
            List<DeliveryLease>? leases = null;
            var count = 0;
            while (count < maxCount && _due.TryPeek(out var item, out var priority) && priority.DueAt <= now)
            {
                _due.Dequeue();
                var entry = item.Entry;
                if (entry.Version != item.Version || entry.Delivery.Status != DeliveryStatus.Pending)
                {
                    continue; // stale heap entry
                }

                if (entry.LeaseToken is not null && entry.LeaseExpiresAt > now)
                {
                    continue; // live lease; its expiry is queued separately
                }

                var claimed = entry.Delivery with { Attempts = entry.Delivery.Attempts + 1 };
                entry.Delivery = claimed;
                entry.LeaseToken = Automations.Core.Engine.IdGenerator.NewGuid();
                entry.LeaseExpiresAt = now + leaseDuration;
                entry.Version++;
                _leases.Enqueue((entry, entry.Version), (entry.LeaseExpiresAt.Value, _sequence++));
                var lease = new DeliveryLease(claimed, entry.LeaseToken.Value, entry.LeaseExpiresAt.Value);
                if (count++ == 0)
                {
                    first = lease;
                }
                else
                {
                    (leases ??= new List<DeliveryLease>(Math.Min(maxCount, 16)) { first! }).Add(lease);
                }
            }

            IReadOnlyList<DeliveryLease> claimedLeases = leases is not null ? leases : first is null ? Array.Empty<DeliveryLease>() : new[] { first };
            return ValueTask.FromResult(claimedLeases);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(DeliveryLease lease, DeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status is not (DeliveryStatus.Pending or DeliveryStatus.Succeeded or DeliveryStatus.Dead))
        {
            throw new ArgumentException($"A completion cannot set status {completion.Status}.", nameof(completion));
        }

        lock (_gate)
        {
            if (!TryGetLeased(lease, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            entry.LeaseToken = null;
            entry.LeaseExpiresAt = null;
            switch (completion.Status)
            {
                case DeliveryStatus.Pending:
                    var retryAt = completion.RetryAt ?? completion.CompletedAt;
                    entry.Delivery = entry.Delivery with { DueAt = retryAt, LastError = completion.Error };
                    Schedule(entry, retryAt);
                    break;
                case DeliveryStatus.Succeeded or DeliveryStatus.Dead:
                    entry.Delivery = entry.Delivery with { Status = completion.Status, CompletedAt = completion.CompletedAt, LastError = completion.Error };
                    entry.Version++;
                    _pending--;
                    if (completion.Status == DeliveryStatus.Succeeded)
                    {
                        Finished(entry);
                    }

                    break;
                default:
                    throw new ArgumentException($"A completion cannot set status {completion.Status}.", nameof(completion));
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(DeliveryLease lease, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (!TryGetLeased(lease, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            entry.LeaseToken = null;
            entry.LeaseExpiresAt = null;
            entry.Delivery = entry.Delivery with { Attempts = entry.Delivery.Attempts - 1, DueAt = dueAt };
            Schedule(entry, dueAt);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RedeliverAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_deliveries.TryGetValue(deliveryId, out var entry) || entry.Delivery.Status != DeliveryStatus.Dead)
            {
                return ValueTask.FromResult(false);
            }

            entry.Delivery = entry.Delivery with { Status = DeliveryStatus.Pending, DueAt = now, CompletedAt = null };
            _pending++;
            Schedule(entry, now);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<Delivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_deliveries.TryGetValue(deliveryId, out var entry) ? entry.Delivery : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<Delivery>> ListByAutomationAsync(string automationId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_byAutomation.TryGetValue(automationId, out var automation))
            {
                return ValueTask.FromResult(new Page<Delivery>([], null));
            }

            // Newest first: walk the creation-ordered list backwards from the creation sequence in the token (the
            // deliveries created before it); forgotten deliveries are skipped.
            var created = automation.Created;
            var start = PageTokens.DecodeSequence(page.PageToken) is { } s ? CountBefore(created, s) : created.Count;
            var size = page.EffectivePageSize;
            var items = new List<Delivery>(Math.Min(size, created.Count));
            for (var i = start - 1; i >= 0; i--)
            {
                if (created[i].Entry is not { } entry)
                {
                    continue;
                }

                var delivery = entry.Delivery;
                if (status is not null && delivery.Status != status)
                {
                    continue;
                }

                if (items.Count == size)
                {
                    return ValueTask.FromResult(new Page<Delivery>(items, PageTokens.EncodeSequence(created[i].Sequence + 1)));
                }

                items.Add(delivery);
            }

            return ValueTask.FromResult(new Page<Delivery>(items, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_pending);
        }
    }

    private void Insert(PlannedEvent item)
    {
        if (_events.Count == _rememberedEventIds)
        {
            (_previousEvents, _events) = (_events, _previousEvents);
            _events.Clear();
        }

        _events.Add(item.Event.EventId);

        var deliveries = item.Deliveries;
        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i];
            if (!_byAutomation.TryGetValue(delivery.AutomationId, out var automation))
            {
                automation = new AutomationDeliveries();
                _byAutomation[delivery.AutomationId] = automation;
            }

            var entry = new Entry(delivery, automation);
            _deliveries[delivery.Id] = entry;
            entry.CreatedIndex = automation.Created.Count;
            automation.Created.Add(new CreatedSlot(_created++, entry));
            switch (delivery.Status)
            {
                case DeliveryStatus.Pending:
                    _pending++;
                    Schedule(entry, delivery.DueAt);
                    break;
                case DeliveryStatus.Succeeded or DeliveryStatus.Suppressed:
                    Finished(entry);
                    break;
            }
        }
    }

    /// <summary>
    /// Counts a delivery that finished for good (succeeded or suppressed) and forgets the automation's oldest
    /// finished one beyond the limit. A forgotten delivery leaves an empty slot in the creation list, removed when
    /// such slots are half of it.
    /// </summary>
    private void Finished(Entry entry)
    {
        var automation = entry.Automation;
        automation.Finished.Enqueue(entry);
        if (automation.Finished.Count <= _finishedPerAutomation)
        {
            return;
        }

        var oldest = automation.Finished.Dequeue();
        if (oldest.Delivery.Status is DeliveryStatus.Succeeded or DeliveryStatus.Suppressed && _deliveries.Remove(oldest.Delivery.Id))
        {
            automation.Created[oldest.CreatedIndex] = automation.Created[oldest.CreatedIndex] with { Entry = null };
            automation.Forgotten++;
        }

        if (automation.Forgotten > 64 && automation.Forgotten > automation.Created.Count / 2)
        {
            automation.Compact();
        }
    }

    /// <summary>How many of the creation-ordered deliveries were created before <paramref name="sequence"/>.</summary>
    private static int CountBefore(List<CreatedSlot> created, long sequence)
    {
        int low = 0, high = created.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (created[middle].Sequence < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// Drops finished leases from the front of the lease queue and makes expired ones due again (the attempt's
    /// worker is presumed dead; once another claim takes the delivery with a new token, its late completion is
    /// fenced off).
    /// </summary>
    private void ExpireLeases(DateTimeOffset now)
    {
        while (_leases.TryPeek(out var item, out var priority))
        {
            var entry = item.Entry;
            var live = entry.Version == item.Version && entry.LeaseToken is not null && entry.Delivery.Status == DeliveryStatus.Pending;
            if (live && priority.ExpiresAt > now)
            {
                return;
            }

            _leases.Dequeue();
            if (live)
            {
                Schedule(entry, priority.ExpiresAt);
            }
        }
    }

    private bool TryGetLeased(DeliveryLease lease, out Entry entry)
        => _deliveries.TryGetValue(lease.Delivery.Id, out entry!) && entry.LeaseToken == lease.Token;

    private void Schedule(Entry entry, DateTimeOffset dueAt)
    {
        entry.Version++;
        _due.Enqueue((entry, entry.Version), (dueAt, _sequence++));
    }

    /// <summary>
    /// One automation's deliveries: in creation order with the creation sequence that page tokens hold (a slot is
    /// emptied when its delivery is forgotten), and the finished ones in the order they finished.
    /// </summary>
    private sealed class AutomationDeliveries
    {
        public List<CreatedSlot> Created { get; } = [];

        public Queue<Entry> Finished { get; } = new();

        /// <summary>How many slots of <see cref="Created"/> were emptied since the list was last compacted.</summary>
        public int Forgotten { get; set; }

        /// <summary>Removes the empty slots, keeping the order, and tells each entry its new index.</summary>
        public void Compact()
        {
            var kept = 0;
            for (var i = 0; i < Created.Count; i++)
            {
                if (Created[i].Entry is { } entry)
                {
                    entry.CreatedIndex = kept;
                    Created[kept++] = Created[i];
                }
            }

            Created.RemoveRange(kept, Created.Count - kept);
            Forgotten = 0;
        }
    }

    /// <summary>A delivery in its automation's creation order: the creation sequence (what page tokens hold) and the entry, null once forgotten.</summary>
    private readonly record struct CreatedSlot(long Sequence, Entry? Entry);

    private sealed class Entry(Delivery delivery, AutomationDeliveries automation)
    {
        public Delivery Delivery { get; set; } = delivery;

        public AutomationDeliveries Automation { get; } = automation;

        /// <summary>Where the entry is in its automation's creation list.</summary>
        public int CreatedIndex { get; set; }

        public long Version { get; set; }

        public Guid? LeaseToken { get; set; }

        public DateTimeOffset? LeaseExpiresAt { get; set; }
    }
}
