using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Engine;

namespace Automations.Core.Tests.Engine;

public class DeliveryWorkerTests
{
    [Fact]
    public async Task Whole_retry_schedule_then_dead_then_redelivered_by_hand()
    {
        var h = new EngineHarness();
        h.Handler.Default = _ => ValueTask.FromResult(ActionResult.Failure(ActionOutcome.RetryableFailure, "HTTP 503", "t1"));
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        var attemptTimes = new List<DateTimeOffset>();
        for (var i = 0; i < AutomationEngineOptions.DefaultRetrySchedule.Count; i++)
        {
            var delivery = await h.DeliveryAsync(id);
            Assert.Equal(DeliveryStatus.Pending, delivery.Status);
            h.Time.SetUtcNow(delivery.DueAt);
            Assert.Equal(1, await h.Worker.RunOnceAsync());
            attemptTimes.Add(h.Time.GetUtcNow());
        }

        var expectedOffsets = AutomationEngineOptions.DefaultRetrySchedule.Aggregate(new List<TimeSpan>(), (acc, d) => { acc.Add((acc.Count == 0 ? TimeSpan.Zero : acc[^1]) + d); return acc; });
        Assert.Equal(expectedOffsets, attemptTimes.Select(t => t - EngineHarness.Start));

        var dead = await h.DeliveryAsync(id);
        Assert.Equal(DeliveryStatus.Dead, dead.Status);
        Assert.Equal(10, dead.Attempts);
        Assert.Contains("Gave up after 10 attempts", dead.LastError, StringComparison.Ordinal);
        h.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await h.Worker.RunOnceAsync());

        var history = await h.HistoryAsync(a.Id);
        Assert.Equal(ExecutionStatus.Dead, history[0].Status);
        Assert.Equal(9, history.Count(r => r.Status == ExecutionStatus.Failed));
        Assert.Equal(ExecutionStatus.Pending, history[^1].Status);
        Assert.Equal(Enumerable.Range(1, 10).Reverse(), history.Where(r => r.Attempt > 0).Select(r => r.Attempt));

        h.Handler.Default = _ => ValueTask.FromResult(ActionResult.Success("t1"));
        await h.Manager.RedeliverAsync(h.Alice, id);
        Assert.Equal(1, await h.Worker.RunOnceAsync());
        var redelivered = await h.DeliveryAsync(id);
        Assert.Equal(DeliveryStatus.Succeeded, redelivered.Status);
        Assert.Equal(id, h.Handler.Attempts.Last().Delivery.Id);
        Assert.All(h.Handler.Attempts, l => Assert.Equal(id, l.Delivery.Id));
    }

    [Fact]
    public async Task Retry_after_is_honoured_when_longer_than_the_schedule()
    {
        var h = new EngineHarness();
        h.Handler.Then(ActionOutcome.RetryableFailure, retryAfter: TimeSpan.FromMinutes(7));
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        await h.Worker.RunOnceAsync();

        Assert.Equal(EngineHarness.Start + TimeSpan.FromMinutes(7), (await h.DeliveryAsync(id)).DueAt);
        h.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await h.Worker.RunOnceAsync());
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Worker.RunOnceAsync());
        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(id)).Status);
    }

    [Fact]
    public async Task Retry_after_is_capped()
    {
        var h = new EngineHarness(o => o.MaxRetryAfter = TimeSpan.FromHours(1));
        h.Handler.Then(ActionOutcome.RetryableFailure, retryAfter: TimeSpan.FromDays(3));
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        await h.Worker.RunOnceAsync();

        Assert.Equal(EngineHarness.Start + TimeSpan.FromHours(1), (await h.DeliveryAsync(id)).DueAt);
    }

    [Theory]
    [InlineData(ActionOutcome.PermanentFailure)]
    [InlineData(ActionOutcome.TargetGone)]
    [InlineData(ActionOutcome.Refused)]
    public async Task Non_retryable_outcomes_are_dead_at_once(ActionOutcome outcome)
    {
        var h = new EngineHarness();
        h.Handler.Then(outcome);
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        await h.Worker.RunOnceAsync();

        var delivery = await h.DeliveryAsync(id);
        Assert.Equal(DeliveryStatus.Dead, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
    }

    [Fact]
    public async Task Handler_exception_is_a_retryable_failure()
    {
        var h = new EngineHarness();
        h.Handler.Script.Enqueue(_ => throw new InvalidOperationException("boom"));
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        await h.Worker.RunOnceAsync();

        var delivery = await h.DeliveryAsync(id);
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Contains("InvalidOperationException", delivery.LastError, StringComparison.Ordinal);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Worker.RunOnceAsync();
        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(id)).Status);
    }

    [Fact]
    public async Task Redeliver_all_dead_deliveries_of_an_automation()
    {
        var h = new EngineHarness();
        h.Handler.Default = _ => ValueTask.FromResult(ActionResult.Failure(ActionOutcome.PermanentFailure, "400", "t1"));
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        for (var i = 0; i < 3; i++)
        {
            await h.Engine.PublishAsync(h.Link());
        }

        await h.Worker.RunOnceAsync();
        Assert.Equal(3, (await h.Manager.ListDeliveriesAsync(h.Alice, a.Id, DeliveryStatus.Dead)).Items.Count);

        h.Handler.Default = _ => ValueTask.FromResult(ActionResult.Success("t1"));
        Assert.Equal(3, await h.Manager.RedeliverDeadAsync(h.Alice, a.Id));
        Assert.Equal(3, await h.Worker.RunOnceAsync());
        Assert.Equal(3, (await h.Manager.ListDeliveriesAsync(h.Alice, a.Id, DeliveryStatus.Succeeded)).Items.Count);
    }

    [Fact]
    public async Task Redelivering_a_delivery_that_is_not_dead_is_a_conflict()
    {
        var h = new EngineHarness();
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        await Assert.ThrowsAsync<Automations.Core.Domain.AutomationConflictException>(() => h.Manager.RedeliverAsync(h.Alice, id));
        await Assert.ThrowsAsync<Automations.Core.Domain.AutomationNotFoundException>(() => h.Manager.RedeliverAsync(h.Alice, "dlv_nope"));
    }

    [Fact]
    public async Task One_busy_endpoint_does_not_hold_the_others()
    {
        var h = new EngineHarness(o => { o.MaxConcurrencyPerEndpoint = 1; o.EndpointBusyDelay = TimeSpan.FromSeconds(2); });
        var gate = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.ConcurrencyKey = "slow-endpoint";
        h.Handler.Script.Enqueue(_ => new ValueTask<ActionResult>(gate.Task));
        await h.CreateAsync("slow", EngineHarness.OnLink());
        var first = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];
        var second = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        var run = h.Worker.RunOnceAsync();
        while (h.Handler.Attempts.IsEmpty)
        {
            await Task.Yield();
        }

        gate.SetResult(ActionResult.Success("slow"));
        await run;

        // The second delivery found its endpoint busy: it was given back without counting an attempt.
        var deferred = await h.DeliveryAsync(second == h.Handler.Attempts.First().Delivery.Id ? first : second);
        Assert.Equal(DeliveryStatus.Pending, deferred.Status);
        Assert.Equal(0, deferred.Attempts);
        Assert.Equal(EngineHarness.Start + TimeSpan.FromSeconds(2), deferred.DueAt);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await h.Worker.RunOnceAsync());
        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(deferred.Id)).Status);
    }

    [Fact]
    public async Task Unknown_action_kind_is_dead_with_a_clear_error()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];
        var workerWithoutHandler = new DeliveryWorker(h.Deliveries, h.History, [], Microsoft.Extensions.Options.Options.Create(h.Options), h.Time);

        await workerWithoutHandler.RunOnceAsync();

        var delivery = await h.DeliveryAsync(id);
        Assert.Equal(DeliveryStatus.Dead, delivery.Status);
        Assert.Contains("No action handler", delivery.LastError, StringComparison.Ordinal);
        Assert.Equal(a.Id, delivery.AutomationId);
    }

    [Fact]
    public async Task Launch_job_is_enqueued_once_per_delivery()
    {
        var h = new EngineHarness();
        var action = new Automations.Core.Domain.Actions.LaunchJobAction("job-train", "gpu", "latest");
        await h.CreateAsync("train", EngineHarness.OnLink(), action);
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        await h.Worker.RunOnceAsync();

        Assert.True(h.Queue.TryDequeue("acme", "gpu", out var job));
        Assert.Equal(id, job!.Request.IdempotencyKey);
        Assert.Equal("job-train", job.Request.Action.Job);
        Assert.False(h.Queue.TryDequeue("acme", "gpu", out _));
        var again = await h.Queue.EnqueueAsync(job.Request);
        Assert.Equal(job.Id, again);
        Assert.False(h.Queue.TryDequeue("acme", "gpu", out _));
    }

    [Fact]
    public async Task Background_loop_delivers_and_stops_on_cancellation()
    {
        var h = new EngineHarness();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.Default = _ => { done.TrySetResult(); return ValueTask.FromResult(ActionResult.Success("t1")); };
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        using var cts = new CancellationTokenSource();
        var loop = h.Worker.RunAsync(cts.Token);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(id)).Status);
    }

    [Fact]
    public async Task A_busy_slot_chains_to_the_next_due_delivery_and_stays_within_the_concurrency()
    {
        var h = new EngineHarness(o => o.MaxConcurrency = 2);
        var running = 0;
        var peak = 0;
        var finished = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.Default = async lease =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            if (Interlocked.Increment(ref finished) == 40)
            {
                all.TrySetResult();
            }

            return ActionResult.Success("t1");
        };
        var automation = await h.CreateAsync("a", EngineHarness.OnLink());
        var published = await h.Engine.PublishManyAsync(Enumerable.Range(0, 40).Select(_ => h.Link()));

        using var cts = new CancellationTokenSource();
        var loop = h.Worker.RunAsync(cts.Token);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(peak, 1, 2);
        Assert.Equal(40, h.Handler.Attempts.Count);
        Assert.Equal(40, h.Handler.Attempts.Select(a => a.Delivery.Id).Distinct().Count());
        foreach (var id in published.SelectMany(p => p.DeliveryIds))
        {
            var delivery = await h.DeliveryAsync(id);
            Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
            Assert.Equal(1, delivery.Attempts);
        }

        Assert.Equal(40, (await h.HistoryAsync(automation.Id)).Count(r => r.Status == ExecutionStatus.Succeeded));
    }

    [Fact]
    public async Task Work_published_while_every_slot_is_busy_is_picked_up_when_a_slot_frees_without_a_poll()
    {
        var h = new EngineHarness(o => o.MaxConcurrency = 1);
        h.Engine.DeliveriesPlanned += (_, _) => h.Worker.Wake();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        h.Handler.Default = async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstStarted.TrySetResult();
                await releaseFirst.Task;
            }
            else
            {
                secondDone.TrySetResult();
            }

            return ActionResult.Success("t1");
        };
        await h.CreateAsync("a", EngineHarness.OnLink());

        using var cts = new CancellationTokenSource();
        var loop = h.Worker.RunAsync(cts.Token);
        var first = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The only slot is busy: this wake-up finds nothing to start. The fake clock never moves, so no poll helps.
        var second = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];
        Assert.False(secondDone.Task.IsCompleted);
        releaseFirst.TrySetResult();

        await secondDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(first)).Status);
        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(second)).Status);
    }

    [Fact]
    public async Task Background_loop_picks_up_a_retry_when_it_comes_due_without_a_wake_up()
    {
        var h = new EngineHarness();
        var attempts = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.Default = _ =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                first.TrySetResult();
                return ValueTask.FromResult(ActionResult.Failure(ActionOutcome.RetryableFailure, "try later", "t1"));
            }

            second.TrySetResult();
            return ValueTask.FromResult(ActionResult.Success("t1"));
        };
        await h.CreateAsync("a", EngineHarness.OnLink());
        var id = (await h.Engine.PublishAsync(h.Link())).DeliveryIds[0];

        using var cts = new CancellationTokenSource();
        var loop = h.Worker.RunAsync(cts.Token);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(second.Task.IsCompleted);

        // The retry is due 5 s later; only the poll timer (on the fake clock) can notice it.
        for (var i = 0; i < 50 && !second.Task.IsCompleted; i++)
        {
            h.Time.Advance(h.Options.PollInterval);
            await Task.WhenAny(second.Task, Task.Delay(20));
        }

        await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        var delivery = await h.DeliveryAsync(id);
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(2, delivery.Attempts);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
