using System.Diagnostics;
using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Automations.Core.Engine;

/// <summary>
/// Carries out planned deliveries: claims due deliveries (leases), runs each through the handler of its action
/// kind, and records the attempt — success, retry on the schedule (honouring Retry-After), or dead. Concurrency is
/// bounded overall and per endpoint, so one slow endpoint cannot starve the others. Drive it with
/// <see cref="RunOnceAsync"/> (tests, manual pumping) or <see cref="RunAsync"/> (the hosted service does).
/// </summary>
public sealed partial class DeliveryWorker
{
    private readonly IDeliveryStore _deliveries;
    private readonly IExecutionHistoryStore _history;
    private readonly Dictionary<string, IActionHandler> _handlers;
    private readonly AutomationEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetryPolicy _retry;
    private readonly SemaphoreSlim _slots;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EndpointSlots> _perEndpoint = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private int _wakes;

    /// <summary>Creates a worker.</summary>
    /// <param name="deliveries">The delivery store.</param>
    /// <param name="history">The execution history.</param>
    /// <param name="handlers">The action handlers, one per kind.</param>
    /// <param name="options">Engine settings.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    /// <exception cref="ArgumentException">Two handlers claim the same kind.</exception>
    public DeliveryWorker(
        IDeliveryStore deliveries,
        IExecutionHistoryStore history,
        IEnumerable<IActionHandler> handlers,
        IOptions<AutomationEngineOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<DeliveryWorker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(options);
        AutomationEngineOptionsValidator.ThrowIfInvalid(options.Value);
        _deliveries = deliveries;
        _history = history;
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _handlers = new Dictionary<string, IActionHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new ArgumentException($"Two action handlers are registered for kind '{handler.Kind}'.", nameof(handlers));
            }
        }

        _retry = new RetryPolicy(_options, Random.Shared.NextDouble);
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
    }

    /// <summary>Wakes a waiting <see cref="RunAsync"/> loop early (for example after a publish).</summary>
    public void Wake()
    {
        Interlocked.Increment(ref _wakes);

        // With every slot busy the loop could start nothing: the slots pick the work up as they chain, and a slot
        // whose claim came up empty while this wake happened wakes the loop when it frees its slot. At most one
        // pending signal: a second wake before the loop consumed the first adds nothing.
        if (_slots.CurrentCount > 0 && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled between the check and the release.
            }
        }
    }

    /// <summary>
    /// Claims the deliveries due now (up to the free concurrency) and runs them, returning when all claimed
    /// attempts have finished.
    /// </summary>
    /// <param name="cancellationToken">Cancels the run; unfinished attempts keep their lease and are retried later.</param>
    /// <returns>The number of deliveries claimed.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var leases = await ClaimAsync(cancellationToken).ConfigureAwait(false);
            if (leases.Count == 0)
            {
                return total;
            }

            total += leases.Count;
            await Task.WhenAll(leases.Select(l => RunSlotAsync(l, chain: false, cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs until cancelled. Each slot that gets work keeps claiming the next due delivery itself until none is due;
    /// this loop only starts slots: when woken (<see cref="Wake"/>, after a publish) or every
    /// <see cref="AutomationEngineOptions.PollInterval"/> (for retries coming due), it claims as many due deliveries
    /// as there are free slots.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop; attempts in flight are awaited.</param>
    /// <returns>A task that completes when the loop stops.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new HashSet<Task>();
        using var poll = _time.CreateTimer(static state => ((DeliveryWorker)state!).Wake(), this, _options.PollInterval, _options.PollInterval);
        while (!cancellationToken.IsCancellationRequested)
        {
            var free = _slots.CurrentCount;
            var claimed = 0;
            if (free > 0)
            {
                IReadOnlyList<DeliveryLease> leases;
                try
                {
                    leases = await _deliveries.ClaimDueAsync(_time.GetUtcNow(), free, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    LogStoreError(_logger, ex);
                    leases = [];
                }

                claimed = leases.Count;
                for (var i = 0; i < leases.Count; i++)
                {
                    // Only this loop takes slots without waiting, so the free ones counted above are still free.
                    var task = _slots.Wait(0)
                        ? RunHeldSlotAsync(leases[i], chain: true, cancellationToken)
                        : RunSlotAsync(leases[i], chain: true, cancellationToken);
                    lock (running)
                    {
                        running.Add(task);
                    }

                    _ = task.ContinueWith(t => { lock (running) { running.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }

            try
            {
                if (claimed == 0)
                {
                    AutomationsTelemetry.ReportQueueDepth(await _deliveries.CountPendingAsync(cancellationToken).ConfigureAwait(false));
                }

                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStoreError(_logger, ex);
            }
        }

        Task[] remaining;
        lock (running)
        {
            remaining = [.. running];
        }

        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<DeliveryLease>> ClaimAsync(CancellationToken cancellationToken)
    {
        var free = _slots.CurrentCount;
        if (free == 0)
        {
            return [];
        }

        return await _deliveries.ClaimDueAsync(_time.GetUtcNow(), free, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunSlotAsync(DeliveryLease lease, bool chain, CancellationToken cancellationToken)
    {
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // Shutting down before the attempt started: the lease lapses and the delivery is retried.
        }

        await RunHeldSlotAsync(lease, chain, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one attempt in a slot the caller already holds; with <paramref name="chain"/>, the slot then claims the
    /// next due delivery itself and keeps going while there is work, so a busy worker hands work from one attempt
    /// to the next on the same flow, without a round trip through the claim loop per delivery. The slot is released
    /// when nothing is due (the claim loop then waits for a wake-up or the poll interval).
    /// </summary>
    private async Task RunHeldSlotAsync(DeliveryLease lease, bool chain, CancellationToken cancellationToken)
    {
        var wokenSince = false;
        try
        {
            while (true)
            {
                await ProcessAsync(lease, cancellationToken).ConfigureAwait(false);
                if (!chain || cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var wakes = Volatile.Read(ref _wakes);
                var next = await _deliveries.ClaimDueAsync(_time.GetUtcNow(), 1, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                if (next.Count == 0)
                {
                    // Work published after that claim may have found every slot busy: hand it to the loop.
                    wokenSince = Volatile.Read(ref _wakes) != wakes;
                    break;
                }

                lease = next[0];
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease lapses and another worker retries the delivery.
        }
        catch (Exception ex)
        {
            LogStoreError(_logger, ex);
        }
        finally
        {
            _slots.Release();
            if (wokenSince)
            {
                Wake();
            }
        }
    }

    /// <summary>
    /// One attempt. Pooled: awaited once by the slot loop, and it goes async on every real dispatch, so its state
    /// machine is reused instead of allocated per attempt (the pool clears it on completion).
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ProcessAsync(DeliveryLease lease, CancellationToken cancellationToken)
    {
        var delivery = lease.Delivery;
        var kind = delivery.Automation.Action.Kind;
        if (!_handlers.TryGetValue(kind, out var handler))
        {
            await FinishAsync(lease, ActionResult.Failure(ActionOutcome.PermanentFailure, $"No action handler is registered for kind '{kind}'."), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Attempts in flight never exceed MaxConcurrency (the slots), so a per-endpoint limit at least that high
        // cannot bind and is not counted.
        var endpointKey = _options.MaxConcurrencyPerEndpoint >= _options.MaxConcurrency ? null : handler.GetConcurrencyKey(delivery);
        var endpoint = endpointKey is null ? null : _perEndpoint.GetOrAdd(endpointKey, static _ => new EndpointSlots());
        if (endpoint is not null && !endpoint.TryEnter(_options.MaxConcurrencyPerEndpoint))
        {
            await _deliveries.ReleaseAsync(lease, _time.GetUtcNow() + _options.EndpointBusyDelay, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            using var activity = AutomationsTelemetry.ActivitySource.StartActivity("automations.delivery.attempt", ActivityKind.Producer);
            activity?.SetTag("automations.delivery.id", delivery.Id);
            activity?.SetTag("automations.automation.id", delivery.AutomationId);
            activity?.SetTag("automations.action.kind", kind);
            activity?.SetTag("automations.event.type", delivery.Event.Type.ToWireName());
            activity?.SetTag("automations.attempt", lease.Attempt);

            var started = _time.GetTimestamp();
            ActionResult result;
            try
            {
                result = await handler.ExecuteAsync(lease, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                result = ActionResult.Failure(ActionOutcome.RetryableFailure, $"The '{kind}' handler failed with {ex.GetType().Name}.");
                LogHandlerError(_logger, ex, kind, delivery.Id);
            }

            var elapsed = _time.GetElapsedTime(started);
            activity?.SetTag("automations.outcome", result.Outcome.ToString());
            if (result.Outcome != ActionOutcome.Succeeded)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result.Error);
            }

            await FinishAsync(lease, result, elapsed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            endpoint?.Exit();
        }
    }

    private async Task FinishAsync(DeliveryLease lease, ActionResult result, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var delivery = lease.Delivery;
        DeliveryCompletion completion;
        ExecutionStatus status;
        switch (result.Outcome)
        {
            case ActionOutcome.Succeeded:
                completion = DeliveryCompletion.Succeeded(now);
                status = ExecutionStatus.Succeeded;
                break;
            case ActionOutcome.RetryableFailure when _retry.NextAttemptAt(lease.Attempt, now, result.RetryAfter) is { } retryAt:
                completion = DeliveryCompletion.Retry(now, retryAt, result.Error ?? "Attempt failed.");
                status = ExecutionStatus.Failed;
                break;
            case ActionOutcome.RetryableFailure:
                completion = DeliveryCompletion.Dead(now, $"Gave up after {lease.Attempt} attempts: {result.Error}");
                status = ExecutionStatus.Dead;
                break;
            default:
                completion = DeliveryCompletion.Dead(now, result.Error ?? result.Outcome.ToString());
                status = ExecutionStatus.Dead;
                break;
        }

        // The tags are built only for a listener.
        if (AutomationsTelemetry.AttemptsCompleted.Enabled)
        {
            AutomationsTelemetry.AttemptsCompleted.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()), new KeyValuePair<string, object?>("kind", delivery.Automation.Action.Kind));
        }

        if (AutomationsTelemetry.AttemptDuration.Enabled)
        {
            AutomationsTelemetry.AttemptDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", delivery.Automation.Action.Kind));
        }

        await _history.AppendAsync(
            new ExecutionRecord
            {
                Id = AutomationEngine.NewRecordId(now),
                DeliveryId = delivery.Id,
                AutomationId = delivery.AutomationId,
                Entity = delivery.Automation.Scope.Entity,
                EventId = delivery.Event.EventId,
                EventType = delivery.Event.Type,
                At = now,
                Attempt = lease.Attempt,
                Status = status,
                Target = result.Target,
                RequestBodyText = result.RequestBodyText,
                ResponseStatus = result.ResponseStatus,
                ResponseBody = result.ResponseBody,
                Error = completion.Error,
                Duration = elapsed,
            },
            cancellationToken).ConfigureAwait(false);

        if (!await _deliveries.CompleteAsync(lease, completion, cancellationToken).ConfigureAwait(false))
        {
            LogLeaseLost(_logger, delivery.Id, lease.Attempt);
            return;
        }

        LogAttempt(_logger, delivery.Id, lease.Attempt, status);
    }

    /// <summary>The attempts in flight to one endpoint (one counter per concurrency key, kept for the worker's life).</summary>
    private sealed class EndpointSlots
    {
        private int _inFlight;

        public bool TryEnter(int max)
        {
            while (true)
            {
                var current = Volatile.Read(ref _inFlight);
                if (current >= max)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _inFlight, current + 1, current) == current)
                {
                    return true;
                }
            }
        }

        public void Exit() => Interlocked.Decrement(ref _inFlight);

        public override string ToString() => $"{Volatile.Read(ref _inFlight)} in flight";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} attempt {Attempt}: {Status}")]
    private static partial void LogAttempt(ILogger logger, string deliveryId, int attempt, ExecutionStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} attempt {Attempt} finished after its lease was lost; its result was not recorded on the delivery")]
    private static partial void LogLeaseLost(ILogger logger, string deliveryId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} action handler failed for delivery {DeliveryId}")]
    private static partial void LogHandlerError(ILogger logger, Exception exception, string kind, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery store failed")]
    private static partial void LogStoreError(ILogger logger, Exception exception);
}
