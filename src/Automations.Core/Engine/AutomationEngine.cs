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
        var candidates = await _automations.FindCandidatesAsync(artifactEvent, cancellationToken).ConfigureAwait(false);

        var planned = new List<Delivery>(candidates.Count);
        var pending = new List<string>(candidates.Count);
        var suppressed = new List<string>();
        var acquired = new List<string>(candidates.Count);
        var subject = TriggerMatcher.SubjectOf(artifactEvent);
        foreach (var automation in candidates)
        {
            if (!TriggerMatcher.Matches(automation, artifactEvent, subject))
            {
                continue;
            }

            var id = NewDeliveryId(now);
            var allowed = _rateLimiter.TryAcquire(automation.Id, now);
            if (allowed)
            {
                acquired.Add(automation.Id);
                pending.Add(id);
            }
            else
            {
                suppressed.Add(id);
            }

            planned.Add(new Delivery
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

        var isNew = await _deliveries.PublishAsync(artifactEvent, planned, cancellationToken).ConfigureAwait(false);
        if (!isNew)
        {
            foreach (var automationId in acquired)
            {
                _rateLimiter.Refund(automationId, now);
            }

            LogDuplicate(_logger, artifactEvent.EventId);
            return new PublishResult(artifactEvent.EventId, true, [], []);
        }

        AutomationsTelemetry.EventsPublished.Add(1, new KeyValuePair<string, object?>("event_type", artifactEvent.Type.ToWireName()));
        foreach (var delivery in planned)
        {
            var status = delivery.Status == DeliveryStatus.Pending ? ExecutionStatus.Pending : ExecutionStatus.Suppressed;
            AutomationsTelemetry.DeliveriesPlanned.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
            await _history.AppendAsync(
                new ExecutionRecord
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
                },
                cancellationToken).ConfigureAwait(false);
        }

        if (suppressed.Count > 0)
        {
            LogSuppressed(_logger, suppressed.Count, artifactEvent.EventId);
        }

        LogPublished(_logger, artifactEvent.EventId, artifactEvent.Type.ToWireName(), pending.Count);
        if (pending.Count > 0)
        {
            DeliveriesPlanned?.Invoke(this, EventArgs.Empty);
        }

        return new PublishResult(artifactEvent.EventId, false, pending, suppressed);
    }

    /// <summary>Publishes several events, in order; each is idempotent on its own id.</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per event, in the same order.</returns>
    public async Task<IReadOnlyList<PublishResult>> PublishManyAsync(IEnumerable<ArtifactEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var results = new List<PublishResult>();
        foreach (var e in events)
        {
            results.Add(await PublishAsync(e, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    internal static string NewDeliveryId(DateTimeOffset now) => "dlv_" + Guid.CreateVersion7(now).ToString("N");

    internal static string NewRecordId(DateTimeOffset now) => "exe_" + Guid.CreateVersion7(now).ToString("N");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) planned {Count} deliveries")]
    private static partial void LogPublished(ILogger logger, string eventId, string eventType, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} was already published; nothing planned")]
    private static partial void LogDuplicate(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} deliveries for event {EventId} were suppressed by rate limits")]
    private static partial void LogSuppressed(ILogger logger, int count, string eventId);
}
