using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Serialization;

namespace Automations.Testing;

/// <summary>
/// The semantics every <see cref="IDeliveryStore"/> must honour (the in-memory store, SQLite, later PostgreSQL):
/// idempotent atomic publish, claim/lease/expiry/reclaim, fenced completion, retries, dead letters and
/// redelivery, concurrent claimers, listing. Each store's tests derive a class and implement
/// <see cref="CreateStore"/> (a fresh, empty store per call).
/// </summary>
public abstract class DeliveryStoreConformanceTests
{
    protected static readonly DateTimeOffset T0 = StoreSamples.T0;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected abstract IDeliveryStore CreateStore();

    [Fact]
    public async Task Published_delivery_round_trips_with_its_event_and_automation_snapshot()
    {
        var store = CreateStore();
        var e = StoreSamples.Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1", dueAt: T0 + TimeSpan.FromSeconds(3))]);

        var d = (await store.GetAsync("d1"))!;

        Assert.Equal("d1", d.Id);
        Assert.Equal(DeliveryStatus.Pending, d.Status);
        Assert.Equal(0, d.Attempts);
        Assert.Equal(T0, d.CreatedAt);
        Assert.Equal(T0 + TimeSpan.FromSeconds(3), d.DueAt);
        Assert.Null(d.CompletedAt);
        Assert.Equal("aut_1", d.AutomationId);
        Assert.Equal(AutomationJson.Serialize(e), AutomationJson.Serialize(d.Event));
        Assert.Equal(0.95, d.Event.Version.Metadata["accuracy"].GetDouble());
        Assert.Null(await store.GetAsync("missing"));
    }

    [Fact]
    public async Task Publish_with_a_used_delivery_id_fails_and_writes_nothing()
    {
        var store = CreateStore();
        var e1 = Event("e1");
        var e2 = Event("e2");
        await store.PublishAsync(e1, [Delivery(e1, "d1")]);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.PublishAsync(e2, [Delivery(e2, "d2"), Delivery(e2, "d1")]));

        Assert.Null(await store.GetAsync("d2"));
        Assert.Equal(1, await store.CountPendingAsync());
        Assert.True(await store.PublishAsync(e2, [Delivery(e2, "d3")]));
    }

    [Fact]
    public async Task Batch_publish_reports_which_events_were_new_including_repeats_inside_the_batch()
    {
        var store = CreateStore();
        var e1 = Event("e1");
        var e2 = Event("e2");
        await store.PublishAsync(e1, [Delivery(e1, "d1")]);

        var results = await store.PublishManyAsync(
        [
            new PlannedEvent(e1, [Delivery(e1, "x1")]),
            new PlannedEvent(e2, [Delivery(e2, "d2a"), Delivery(e2, "d2b")]),
            new PlannedEvent(e2, [Delivery(e2, "x2")]),
            new PlannedEvent(Event("e3"), []),
        ]);

        Assert.Equal([false, true, false, true], results);
        Assert.NotNull(await store.GetAsync("d2b"));
        Assert.Null(await store.GetAsync("x1"));
        Assert.Null(await store.GetAsync("x2"));
        Assert.Equal(3, await store.CountPendingAsync());
        Assert.False(await store.PublishAsync(Event("e3"), []));
    }

    [Fact]
    public async Task Batch_publish_is_all_or_nothing()
    {
        var store = CreateStore();
        var e0 = Event("e0");
        await store.PublishAsync(e0, [Delivery(e0, "used")]);
        var e1 = Event("e1");
        var e2 = Event("e2");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.PublishManyAsync(
        [
            new PlannedEvent(e1, [Delivery(e1, "d1")]),
            new PlannedEvent(e2, [Delivery(e2, "used")]),
        ]));

        Assert.Null(await store.GetAsync("d1"));
        Assert.Equal([true, true], await store.PublishManyAsync([new PlannedEvent(e1, [Delivery(e1, "d1")]), new PlannedEvent(e2, [Delivery(e2, "d2")])]));
    }

    [Fact]
    public async Task Succeeded_delivery_is_final_and_never_claimed_again()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var lease = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));

        Assert.True(await store.CompleteAsync(lease, DeliveryCompletion.Succeeded(T0 + TimeSpan.FromSeconds(1))));
        Assert.False(await store.CompleteAsync(lease, DeliveryCompletion.Dead(T0, "late")));

        var done = (await store.GetAsync("d1"))!;
        Assert.Equal(DeliveryStatus.Succeeded, done.Status);
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), done.CompletedAt);
        Assert.Equal(1, done.Attempts);
        Assert.Empty(await store.ClaimDueAsync(T0 + TimeSpan.FromDays(1), 10, Lease));
        Assert.False(await store.RedeliverAsync("d1", T0));
        Assert.Equal(0, await store.CountPendingAsync());
    }

    [Fact]
    public async Task Claimed_attempts_are_visible_on_the_stored_delivery()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);

        await store.ClaimDueAsync(T0, 10, Lease);
        await store.ClaimDueAsync(T0 + Lease, 10, Lease);

        Assert.Equal(2, (await store.GetAsync("d1"))!.Attempts);
        Assert.Equal(1, await store.CountPendingAsync());
    }

    [Fact]
    public async Task Release_after_the_lease_was_lost_is_fenced()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var old = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));
        var current = Assert.Single(await store.ClaimDueAsync(T0 + Lease + TimeSpan.FromSeconds(1), 10, Lease));

        Assert.False(await store.ReleaseAsync(old, T0));

        Assert.Empty(await store.ClaimDueAsync(T0 + Lease + TimeSpan.FromSeconds(2), 10, Lease));
        Assert.True(await store.CompleteAsync(current, DeliveryCompletion.Succeeded(T0 + Lease)));
    }

    [Fact]
    public async Task A_completion_cannot_set_a_non_final_status()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var lease = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.CompleteAsync(lease, new DeliveryCompletion(DeliveryStatus.Suppressed, T0)));
        Assert.True(await store.CompleteAsync(lease, DeliveryCompletion.Succeeded(T0)));
    }

    [Fact]
    public async Task A_page_token_from_elsewhere_is_a_validation_error()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);

        await Assert.ThrowsAsync<AutomationValidationException>(async () => await store.ListByAutomationAsync("aut_1", null, new PageRequest(10, "not a token!")));
    }

    [Fact]
    public async Task Publish_is_idempotent_on_the_event_id()
    {
        var store = CreateStore();
        var e = Event("e1");

        Assert.True(await store.PublishAsync(e, [Delivery(e, "d1")]));
        Assert.False(await store.PublishAsync(e, [Delivery(e, "d2")]));

        Assert.NotNull(await store.GetAsync("d1"));
        Assert.Null(await store.GetAsync("d2"));
        Assert.Equal(1, await store.CountPendingAsync());
    }

    [Fact]
    public async Task Claim_counts_the_attempt_and_a_live_lease_is_never_claimed_twice()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1"), Delivery(e, "d2")]);

        var first = await store.ClaimDueAsync(T0, 10, Lease);
        var second = await store.ClaimDueAsync(T0 + TimeSpan.FromSeconds(59), 10, Lease);

        Assert.Equal(["d1", "d2"], first.Select(l => l.Delivery.Id).Order());
        Assert.All(first, l => Assert.Equal(1, l.Attempt));
        Assert.Empty(second);
    }

    [Fact]
    public async Task Not_yet_due_deliveries_are_not_claimed()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1", dueAt: T0 + TimeSpan.FromMinutes(5))]);

        Assert.Empty(await store.ClaimDueAsync(T0, 10, Lease));
        Assert.Single(await store.ClaimDueAsync(T0 + TimeSpan.FromMinutes(5), 10, Lease));
    }

    [Fact]
    public async Task Expired_lease_is_reclaimed_and_the_old_owner_is_fenced_out()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var old = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));

        var reclaimed = Assert.Single(await store.ClaimDueAsync(T0 + Lease, 10, Lease));
        Assert.Equal(2, reclaimed.Attempt);
        Assert.NotEqual(old.Token, reclaimed.Token);

        Assert.False(await store.CompleteAsync(old, DeliveryCompletion.Succeeded(T0 + Lease)));
        Assert.Equal(DeliveryStatus.Pending, (await store.GetAsync("d1"))!.Status);
        Assert.True(await store.CompleteAsync(reclaimed, DeliveryCompletion.Dead(T0 + Lease, "gave up")));
        var dead = (await store.GetAsync("d1"))!;
        Assert.Equal(DeliveryStatus.Dead, dead.Status);
        Assert.Equal("gave up", dead.LastError);
        Assert.Equal(0, await store.CountPendingAsync());
    }

    [Fact]
    public async Task Leases_expire_on_their_own_schedule_among_finished_and_retried_ones()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1"), Delivery(e, "d2"), Delivery(e, "d3"), Delivery(e, "d4")]);
        var first = await store.ClaimDueAsync(T0, 2, Lease);                                   // d1, d2: lease 1 min
        var second = await store.ClaimDueAsync(T0, 2, Lease + Lease);                          // d3, d4: lease 2 min
        Assert.Equal(["d1", "d2"], first.Select(l => l.Delivery.Id));
        Assert.Equal(["d3", "d4"], second.Select(l => l.Delivery.Id));

        Assert.True(await store.CompleteAsync(first[0], DeliveryCompletion.Succeeded(T0)));                                      // d1 done
        Assert.True(await store.CompleteAsync(second[0], DeliveryCompletion.Retry(T0, T0 + Lease + Lease + Lease, "later")));    // d3 retried later
        Assert.Empty(await store.ClaimDueAsync(T0 + Lease - TimeSpan.FromSeconds(1), 10, Lease));

        // d2's lease lapsed; d4's has a minute left; d3 is not due yet.
        var afterOne = await store.ClaimDueAsync(T0 + Lease, 10, TimeSpan.FromMinutes(10));
        Assert.Equal(["d2"], afterOne.Select(l => l.Delivery.Id));
        Assert.Equal(2, afterOne[0].Attempt);

        var afterTwo = await store.ClaimDueAsync(T0 + Lease + Lease, 10, Lease);
        Assert.Equal(["d4"], afterTwo.Select(l => l.Delivery.Id));
        Assert.False(await store.CompleteAsync(second[1], DeliveryCompletion.Succeeded(T0 + Lease + Lease)));

        var afterThree = await store.ClaimDueAsync(T0 + Lease + Lease + Lease, 10, Lease);
        Assert.Contains("d3", afterThree.Select(l => l.Delivery.Id));
        Assert.Equal(DeliveryStatus.Succeeded, (await store.GetAsync("d1"))!.Status);
    }

    [Fact]
    public async Task Retry_is_scheduled_and_claimed_when_due()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var lease = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));

        Assert.True(await store.CompleteAsync(lease, DeliveryCompletion.Retry(T0, T0 + TimeSpan.FromSeconds(5), "HTTP 503")));

        Assert.Empty(await store.ClaimDueAsync(T0 + TimeSpan.FromSeconds(4), 10, Lease));
        var retry = Assert.Single(await store.ClaimDueAsync(T0 + TimeSpan.FromSeconds(5), 10, Lease));
        Assert.Equal(2, retry.Attempt);
        Assert.Equal("HTTP 503", retry.Delivery.LastError);
        Assert.False(await store.CompleteAsync(lease, DeliveryCompletion.Succeeded(T0)));
    }

    [Fact]
    public async Task Release_gives_the_delivery_back_without_counting_the_attempt()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var lease = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));

        Assert.True(await store.ReleaseAsync(lease, T0 + TimeSpan.FromSeconds(1)));

        var again = Assert.Single(await store.ClaimDueAsync(T0 + TimeSpan.FromSeconds(1), 10, Lease));
        Assert.Equal(1, again.Attempt);
        Assert.False(await store.ReleaseAsync(lease, T0));
    }

    [Fact]
    public async Task Dead_delivery_is_redelivered_with_the_same_id()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);
        var lease = Assert.Single(await store.ClaimDueAsync(T0, 10, Lease));
        await store.CompleteAsync(lease, DeliveryCompletion.Dead(T0, "400"));

        Assert.True(await store.RedeliverAsync("d1", T0 + TimeSpan.FromHours(1)));
        Assert.False(await store.RedeliverAsync("d1", T0 + TimeSpan.FromHours(1)));
        Assert.False(await store.RedeliverAsync("missing", T0));

        var again = Assert.Single(await store.ClaimDueAsync(T0 + TimeSpan.FromHours(1), 10, Lease));
        Assert.Equal("d1", again.Delivery.Id);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Claims_respect_the_count_and_due_order()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "late", dueAt: T0 + TimeSpan.FromSeconds(2)), Delivery(e, "early", dueAt: T0), Delivery(e, "mid", dueAt: T0 + TimeSpan.FromSeconds(1))]);

        var claimed = await store.ClaimDueAsync(T0 + TimeSpan.FromSeconds(10), 2, Lease);

        Assert.Equal(["early", "mid"], claimed.Select(l => l.Delivery.Id));
    }

    [Fact]
    public async Task Concurrent_claimers_never_share_a_delivery()
    {
        var store = CreateStore();
        for (var i = 0; i < 50; i++)
        {
            var e = Event($"e{i}");
            await store.PublishAsync(e, [Delivery(e, $"d{i}")]);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await store.ClaimDueAsync(T0, 7, Lease))));
        var ids = claims.SelectMany(c => c).Select(l => l.Delivery.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(50, ids.Count);
    }

    [Fact]
    public async Task Suppressed_deliveries_are_kept_but_never_claimed()
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1", status: DeliveryStatus.Suppressed)]);

        Assert.Empty(await store.ClaimDueAsync(T0 + TimeSpan.FromDays(1), 10, Lease));
        Assert.Equal(DeliveryStatus.Suppressed, (await store.GetAsync("d1"))!.Status);
        Assert.Equal(0, await store.CountPendingAsync());
    }

    [Fact]
    public async Task Deliveries_of_an_automation_are_listed_newest_first_by_page_and_status()
    {
        var store = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            var e = Event($"e{i}");
            await store.PublishAsync(e, [Delivery(e, $"d{i}")]);
        }

        var lease = (await store.ClaimDueAsync(T0, 1, Lease))[0];
        await store.CompleteAsync(lease, DeliveryCompletion.Dead(T0, "x"));

        var page1 = await store.ListByAutomationAsync("aut_1", null, new PageRequest(3));
        var page2 = await store.ListByAutomationAsync("aut_1", null, new PageRequest(3, page1.NextPageToken));
        var dead = await store.ListByAutomationAsync("aut_1", DeliveryStatus.Dead, new PageRequest(10));

        Assert.Equal(["d4", "d3", "d2"], page1.Items.Select(d => d.Id));
        Assert.Equal(["d1", "d0"], page2.Items.Select(d => d.Id));
        Assert.Null(page2.NextPageToken);
        Assert.Equal([lease.Delivery.Id], dead.Items.Select(d => d.Id));
        Assert.Empty((await store.ListByAutomationAsync("aut_other", null, PageRequest.First)).Items);
    }

    [Theory]
    [InlineData("%%%")] // not base64url
    [InlineData("enp6")] // base64url of "zzz": well formed, but no token this store issues
    public async Task A_page_token_the_store_did_not_issue_is_refused(string token)
    {
        var store = CreateStore();
        var e = Event("e1");
        await store.PublishAsync(e, [Delivery(e, "d1")]);

        await Assert.ThrowsAsync<AutomationValidationException>(async () => await store.ListByAutomationAsync("aut_1", null, new PageRequest(3, token)));
    }

    protected static ArtifactEvent Event(string id)
        => new(id, ArtifactEventType.LinkArtifact, ArtifactContainer.Project("acme", "vision"), "ds", new ArtifactVersion("1", "ds", "v0"), "alice", T0);

    protected static Delivery Delivery(ArtifactEvent e, string id, DateTimeOffset? dueAt = null, DeliveryStatus status = DeliveryStatus.Pending)
        => StoreSamples.Delivery(e, id, dueAt, status);
}
