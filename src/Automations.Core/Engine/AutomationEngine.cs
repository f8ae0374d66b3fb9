using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Automations.Core.Engine;

/// <summary>
/// The entry point for hosts: publish artifact events. Each event is recorded once (idempotent on its id), matched
/// against the enabled automations whose scope sees it (an indexed lookup), and one delivery is planned per
/// matching automation; a <see cref="DeliveryWorker"/> then carries them out.
/// </summary>
public sealed partial class AutomationEngine
{
    private readonly IAutomationStore _automations;
    private readonly IDeliveryStore _deliveries;
    private readonly IExecutionHistoryStore _history;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AutomationRateLimiter _rateLimiter;

    /// <summary>Creates the engine.</summary>
    /// <param name="automations">The automation store.</param>
    /// <param name="deliveries">The delivery store.</param>
    /// <param name="history">The execution history.</param>
    /// <param name="options">Engine settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    public AutomationEngine(
        IAutomationStore automations,
        IDeliveryStore deliveries,
        IExecutionHistoryStore history,
        IOptions<AutomationEngineOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<AutomationEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(automations);
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        AutomationEngineOptionsValidator.ThrowIfInvalid(options.Value);
        _automations = automations;
        _deliveries = deliveries;
        _history = history;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _rateLimiter = new AutomationRateLimiter(options.Value);
    }

    /// <summary>Raised after an event planned at least one delivery (workers use it to wake up early).</summary>
    public event EventHandler? DeliveriesPlanned;

    /// <summary>Publishes one event.</summary>
    /// <param name="artifactEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was planned; <see cref="PublishResult.Duplicate"/> when the id was seen before.</returns>
    public async Task<PublishResult> PublishAsync(ArtifactEvent artifactEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        var now = _time.GetUtcNow();
        var plan = await PlanAsync(artifactEvent, now, cancellationToken).ConfigureAwait(false);
        var isNew = await _deliveries.PublishAsync(artifactEvent, plan.Planned, cancellationToken).ConfigureAwait(false);
        var results = await ConcludeAsync([plan], [isNew], now, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Publishes several events, in order; each is idempotent on its own id (a repeated id in the batch is a
    /// duplicate). The events and their deliveries are handed to the store in one batch
    /// (<see cref="IDeliveryStore.PublishManyAsync"/>: one transaction in durable stores), which is much faster
    /// than publishing them one by one.
    /// </summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per event, in the same order.</returns>
    public async Task<IReadOnlyList<PublishResult>> PublishManyAsync(IEnumerable<ArtifactEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var now = _time.GetUtcNow();
        var plans = new List<Plan>();
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            plans.Add(await PlanAsync(e, now, cancellationToken).ConfigureAwait(false));
        }

        if (plans.Count == 0)
        {
            return [];
        }

        var isNew = await _deliveries.PublishManyAsync(plans.ConvertAll(p => new PlannedEvent(p.Event, p.Planned)), cancellationToken).ConfigureAwait(false);
        return await ConcludeAsync(plans, isNew, now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Plan> PlanAsync(ArtifactEvent artifactEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = await _automations.FindCandidatesAsync(artifactEvent, cancellationToken).ConfigureAwait(false);
        var plan = new Plan(artifactEvent, candidates.Count);
        var subject = TriggerMatcher.SubjectOf(artifactEvent);
        for (var i = 0; i < candidates.Count; i++)
        {
            var automation = candidates[i];
            if (!TriggerMatcher.Matches(automation, artifactEvent, subject))
            {
                continue;
            }

            var id = NewDeliveryId(now);
            var allowed = _rateLimiter.TryAcquire(automation.Id, now);
            plan.Planned.Add(new Delivery
            {
                Id = id,
                Event = artifactEvent,
                Automation = automation,
                Status = allowed ? DeliveryStatus.Pending : DeliveryStatus.Suppressed,
                CreatedAt = now,
                DueAt = now,
                CompletedAt = allowed ? null : now,
                LastError = allowed ? null : "Suppressed by the automation's rate limit.",
            });
        }

        return plan;
    }

    private async Task<PublishResult[]> ConcludeAsync(IReadOnlyList<Plan> plans, IReadOnlyList<bool> isNew, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new PublishResult[plans.Count];
        var records = new List<ExecutionRecord>();
        var anyPending = false;
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            var artifactEvent = plan.Event;
            if (!isNew[i])
            {
                // What the plan acquired from the rate limiter: one permit per pending delivery.
                foreach (var delivery in plan.Planned)
                {
                    if (delivery.Status == DeliveryStatus.Pending)
                    {
                        _rateLimiter.Refund(delivery.AutomationId, now);
                    }
                }

                LogDuplicate(_logger, artifactEvent.EventId);
                results[i] = new PublishResult(artifactEvent.EventId, true, [], []);
                continue;
            }

            if (AutomationsTelemetry.EventsPublished.Enabled)
            {
                AutomationsTelemetry.EventsPublished.Add(1, new KeyValuePair<string, object?>("event_type", artifactEvent.Type.ToWireName()));
            }

            foreach (var delivery in plan.Planned)
            {
                var status = delivery.Status == DeliveryStatus.Pending ? ExecutionStatus.Pending : ExecutionStatus.Suppressed;
                if (AutomationsTelemetry.DeliveriesPlanned.Enabled)
                {
                    // Only for a listener: the status's name boxes the enum.
                    AutomationsTelemetry.DeliveriesPlanned.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
                }

                records.Add(new ExecutionRecord
                {
                    Id = NewRecordId(now),
                    DeliveryId = delivery.Id,
                    AutomationId = delivery.AutomationId,
                    Entity = delivery.Automation.Scope.Entity,
                    EventId = artifactEvent.EventId,
                    EventType = artifactEvent.Type,
                    At = now,
                    Status = status,
                    Target = delivery.Automation.Action.Queue ?? delivery.Automation.Action.ActionName,
                    Error = delivery.LastError,
                });
            }

            var (pending, suppressed) = plan.DeliveryIds();
            if (suppressed.Length > 0)
            {
                LogSuppressed(_logger, suppressed.Length, artifactEvent.EventId);
            }

            LogPublished(_logger, artifactEvent.EventId, artifactEvent.Type.ToWireName(), pending.Length);
            anyPending |= pending.Length > 0;
            results[i] = new PublishResult(artifactEvent.EventId, false, pending, suppressed);
        }

        if (records.Count == 1)
        {
            await _history.AppendAsync(records[0], cancellationToken).ConfigureAwait(false);
        }
        else if (records.Count > 1)
        {
            await _history.AppendManyAsync(records, cancellationToken).ConfigureAwait(false);
        }

        if (anyPending)
        {
            DeliveriesPlanned?.Invoke(this, EventArgs.Empty);
        }

        return results;
    }

    internal static string NewDeliveryId(DateTimeOffset now) => IdGenerator.NewPrefixedVersion7("dlv_", now);

    internal static string NewRecordId(DateTimeOffset now) => IdGenerator.NewPrefixedVersion7("exe_", now);

    private sealed class Plan(ArtifactEvent artifactEvent, int capacity)
    {
        public ArtifactEvent Event { get; } = artifactEvent;

        public List<Delivery> Planned { get; } = new(capacity);

        /// <summary>The ids of the pending and of the suppressed deliveries, in plan order.</summary>
        public (string[] Pending, string[] Suppressed) DeliveryIds()
        {
            var pendingCount = 0;
            foreach (var delivery in Planned)
            {
                pendingCount += delivery.Status == DeliveryStatus.Pending ? 1 : 0;
            }

            var pending = pendingCount == 0 ? [] : new string[pendingCount];
            var suppressed = pendingCount == Planned.Count ? [] : new string[Planned.Count - pendingCount];
            int p = 0, s = 0;
            foreach (var delivery in Planned)
            {
                if (delivery.Status == DeliveryStatus.Pending)
                {
                    pending[p++] = delivery.Id;
                }
                else
                {
                    suppressed[s++] = delivery.Id;
                }
            }

            return (pending, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) planned {Count} deliveries")]
    private static partial void LogPublished(ILogger logger, string eventId, string eventType, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} was already published; nothing planned")]
    private static partial void LogDuplicate(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} deliveries for event {EventId} were suppressed by rate limits")]
    private static partial void LogSuppressed(ILogger logger, int count, string eventId);
}
