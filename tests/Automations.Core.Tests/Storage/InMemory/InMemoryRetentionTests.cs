using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Storage.InMemory;
using Automations.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automations.Core.Tests.Storage.InMemory;

/// <summary>What the in-memory stores forget, and what they never forget (<see cref="InMemoryStoreOptions"/>).</summary>
public class InMemoryRetentionTests
{
    private static readonly DateTimeOffset T0 = StoreSamples.T0;

    [Fact]
    public async Task Only_the_most_recent_succeeded_deliveries_of_an_automation_are_kept()
    {
        var store = new InMemoryDeliveryStore(new InMemoryStoreOptions { FinishedDeliveriesPerAutomation = 2 });
        for (var i = 1; i <= 5; i++)
        {
            await PublishAsync(store, $"e{i}", $"d{i}");
        }

        await SucceedAllAsync(store);

        Assert.Null(await store.GetAsync("d1"));
        Assert.Null(await store.GetAsync("d2"));
        Assert.Null(await store.GetAsync("d3"));
        Assert.Equal(DeliveryStatus.Succeeded, (await store.GetAsync("d4"))!.Status);
        Assert.Equal(DeliveryStatus.Succeeded, (await store.GetAsync("d5"))!.Status);
        var page = await store.ListByAutomationAsync("aut_1", null, new PageRequest(50));
        Assert.Equal(["d5", "d4"], page.Items.Select(d => d.Id));
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task Pending_dead_and_suppressed_deliveries_follow_their_own_rules()
    {
        var store = new InMemoryDeliveryStore(new InMemoryStoreOptions { FinishedDeliveriesPerAutomation = 1 });
        await PublishAsync(store, "e1", "dead");
        var lease = Assert.Single(await store.ClaimDueAsync(T0, 1, TimeSpan.FromMinutes(1)));
        Assert.True(await store.CompleteAsync(lease, DeliveryCompletion.Dead(T0, "gone")));
        await PublishAsync(store, "e2", "pending", dueAt: T0.AddHours(1));
        var e3 = StoreSamples.Event("e3");
        await store.PublishAsync(e3, [StoreSamples.Delivery(e3, "suppressed1", status: DeliveryStatus.Suppressed)]);
        var e4 = StoreSamples.Event("e4");
        await store.PublishAsync(e4, [StoreSamples.Delivery(e4, "suppressed2", status: DeliveryStatus.Suppressed)]);

        // Suppressed deliveries count as finished: the older one is forgotten. Dead and pending ones are kept.
        Assert.Null(await store.GetAsync("suppressed1"));
        Assert.NotNull(await store.GetAsync("suppressed2"));
        Assert.Equal(DeliveryStatus.Dead, (await store.GetAsync("dead"))!.Status);
        Assert.Equal(DeliveryStatus.Pending, (await store.GetAsync("pending"))!.Status);
        Assert.Equal(1, await store.CountPendingAsync());
        Assert.True(await store.RedeliverAsync("dead", T0));
    }

    [Fact]
    public async Task Each_automation_keeps_its_own_finished_deliveries()
    {
        var store = new InMemoryDeliveryStore(new InMemoryStoreOptions { FinishedDeliveriesPerAutomation = 1 });
        await PublishAsync(store, "e1", "a1", automationId: "aut_a");
        await PublishAsync(store, "e2", "b1", automationId: "aut_b");
        await PublishAsync(store, "e3", "b2", automationId: "aut_b");
        await SucceedAllAsync(store);

        Assert.NotNull(await store.GetAsync("a1"));
        Assert.Null(await store.GetAsync("b1"));
        Assert.NotNull(await store.GetAsync("b2"));
    }

    [Fact]
    public async Task Page_tokens_stay_valid_while_finished_deliveries_are_forgotten_and_the_list_is_compacted()
    {
        var store = new InMemoryDeliveryStore(new InMemoryStoreOptions { FinishedDeliveriesPerAutomation = 100 });
        for (var i = 0; i < 150; i++)
        {
            await PublishAsync(store, $"e{i}", $"d{i:000}", dueAt: T0.AddHours(1));
        }

        var first = await store.ListByAutomationAsync("aut_1", null, new PageRequest(10));
        Assert.Equal("d149", first.Items[0].Id);

        // 300 more deliveries that succeed at once: all 150 older pending ones stay, most of the new ones go, and
        // the creation list is compacted on the way.
        for (var i = 150; i < 450; i++)
        {
            await PublishAsync(store, $"e{i}", $"d{i:000}");
        }

        await SucceedAllAsync(store);

        var second = await store.ListByAutomationAsync("aut_1", null, new PageRequest(10, first.NextPageToken));
        Assert.Equal(Enumerable.Range(130, 10).Reverse().Select(i => $"d{i:000}"), second.Items.Select(d => d.Id));

        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListByAutomationAsync("aut_1", null, new PageRequest(40, token));
            all.AddRange(page.Items.Select(d => d.Id));
            token = page.NextPageToken;
        }
        while (token is not null);

        var expected = Enumerable.Range(0, 150).Concat(Enumerable.Range(350, 100)).Reverse().Select(i => $"d{i:000}");
        Assert.Equal(expected, all);
        var succeeded = await store.ListByAutomationAsync("aut_1", DeliveryStatus.Succeeded, new PageRequest(500));
        Assert.Equal(100, succeeded.Items.Count);
    }

    [Fact]
    public async Task Event_ids_are_remembered_within_the_window()
    {
        var store = new InMemoryDeliveryStore(new InMemoryStoreOptions { RememberedEventIds = 2 });
        Assert.True(await PublishAsync(store, "e1", "d1"));
        Assert.True(await PublishAsync(store, "e2", "d2"));
        Assert.False(await PublishAsync(store, "e1", "x1"));
        Assert.True(await PublishAsync(store, "e3", "d3"));
        Assert.True(await PublishAsync(store, "e4", "d4"));

        // The last two (and up to four) ids are remembered: e1 and e2 are still duplicates until e5 starts a new window.
        Assert.False(await PublishAsync(store, "e1", "x1"));
        Assert.False(await PublishAsync(store, "e4", "x4"));
        Assert.True(await PublishAsync(store, "e5", "d5"));
        Assert.True(await PublishAsync(store, "e1", "d1b"));
        Assert.False(await PublishAsync(store, "e4", "x4"));
        Assert.False(await PublishAsync(store, "e5", "x5"));
        Assert.Null(await store.GetAsync("x1"));
        Assert.Null(await store.GetAsync("x4"));
        Assert.Null(await store.GetAsync("x5"));
    }

    [Fact]
    public async Task History_keeps_the_most_recent_rows_of_each_automation()
    {
        var store = new InMemoryExecutionHistoryStore(new InMemoryStoreOptions { HistoryRowsPerAutomation = 3 });
        await store.AppendAsync(StoreSamples.Record("p1", deliveryId: "d1", attempt: 1, status: ExecutionStatus.Pending));
        await store.AppendAsync(StoreSamples.Record("a1", deliveryId: "d1", attempt: 2));
        await store.AppendAsync(StoreSamples.Record("p2", deliveryId: "d2", attempt: 3, status: ExecutionStatus.Pending));
        await store.AppendAsync(StoreSamples.Record("other", automationId: "aut_2", deliveryId: "d9", attempt: 4));
        await store.AppendAsync(StoreSamples.Record("a2", deliveryId: "d2", attempt: 5));
        await store.AppendAsync(StoreSamples.Record("a2b", deliveryId: "d2", attempt: 6));

        var rows = await store.ListByAutomationAsync("aut_1", new PageRequest(50));
        Assert.Equal(["a2b", "a2", "p2"], rows.Items.Select(r => r.Id));
        Assert.Null(rows.NextPageToken);
        Assert.Empty((await store.ListByDeliveryAsync("d1", new PageRequest(50))).Items);
        Assert.Equal(["a2b", "a2", "p2"], (await store.ListByDeliveryAsync("d2", new PageRequest(50))).Items.Select(r => r.Id));
        Assert.Equal(["other"], (await store.ListByAutomationAsync("aut_2", new PageRequest(50))).Items.Select(r => r.Id));
        Assert.Equal("a2b", (await store.GetLatestAsync("aut_1"))!.Id);

        // One more row forgets p2, the oldest row of d2, and nothing else of d2.
        await store.AppendAsync(StoreSamples.Record("p3", deliveryId: "d3", attempt: 7, status: ExecutionStatus.Pending));
        Assert.Equal(["a2b", "a2"], (await store.ListByDeliveryAsync("d2", new PageRequest(50))).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task History_page_tokens_survive_appends_that_forget_rows()
    {
        var store = new InMemoryExecutionHistoryStore(new InMemoryStoreOptions { HistoryRowsPerAutomation = 50 });
        for (var i = 0; i < 40; i++)
        {
            await store.AppendAsync(StoreSamples.Record($"r{i}", deliveryId: $"d{i}", attempt: i));
        }

        var first = await store.ListByAutomationAsync("aut_1", new PageRequest(10));
        Assert.Equal("r39", first.Items[0].Id);
        for (var i = 40; i < 60; i++)
        {
            await store.AppendAsync(StoreSamples.Record($"r{i}", deliveryId: $"d{i}", attempt: i));
        }

        // Rows r0..r9 were forgotten: the second page (r29..r20) is whole, the page after r19..r10 is the last.
        var second = await store.ListByAutomationAsync("aut_1", new PageRequest(10, first.NextPageToken));
        Assert.Equal(Enumerable.Range(20, 10).Reverse().Select(i => $"r{i}"), second.Items.Select(r => r.Id));
        var third = await store.ListByAutomationAsync("aut_1", new PageRequest(10, second.NextPageToken));
        Assert.Equal(Enumerable.Range(10, 10).Reverse().Select(i => $"r{i}"), third.Items.Select(r => r.Id));
        Assert.Null(third.NextPageToken);
    }

    [Theory]
    [InlineData(0, 1, 1, nameof(InMemoryStoreOptions.FinishedDeliveriesPerAutomation))]
    [InlineData(1, -5, 1, nameof(InMemoryStoreOptions.HistoryRowsPerAutomation))]
    [InlineData(1, 1, 0, nameof(InMemoryStoreOptions.RememberedEventIds))]
    public void Limits_below_one_are_refused_by_the_stores(int finished, int rows, int events, string path)
    {
        var options = new InMemoryStoreOptions { FinishedDeliveriesPerAutomation = finished, HistoryRowsPerAutomation = rows, RememberedEventIds = events };

        var ex = Assert.Throws<AutomationValidationException>(() => new InMemoryDeliveryStore(options));
        Assert.Equal(path, Assert.Single(ex.Problems).Path);
        Assert.Throws<AutomationValidationException>(() => new InMemoryExecutionHistoryStore(options));
    }

    [Fact]
    public async Task Configured_limits_reach_the_registered_stores_and_bad_ones_fail_at_start()
    {
        var services = new ServiceCollection();
        services.AddAutomations().ConfigureInMemoryStores(o => o.HistoryRowsPerAutomation = 0);
        await using var bad = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<InMemoryStoreOptions>>().Value);
        Assert.Contains("InMemoryStoreOptions.HistoryRowsPerAutomation", ex.Message, StringComparison.Ordinal);

        var good = new ServiceCollection();
        good.AddAutomations().ConfigureInMemoryStores(o => o.RememberedEventIds = 1);
        await using var provider = good.BuildServiceProvider();
        var store = provider.GetRequiredService<IDeliveryStore>();
        Assert.Same(provider.GetRequiredService<InMemoryDeliveryStore>(), store);
        Assert.True(await PublishAsync(store, "e1", "d1"));
        Assert.True(await PublishAsync(store, "e2", "d2"));
        Assert.True(await PublishAsync(store, "e3", "d3"));
        Assert.True(await PublishAsync(store, "e1", "d1b"));
    }

    [Fact]
    public void Options_describe_their_limits()
        => Assert.Equal(
            "InMemoryStoreOptions { FinishedDeliveriesPerAutomation = 1000, HistoryRowsPerAutomation = 2000, RememberedEventIds = 100000 }",
            new InMemoryStoreOptions().ToString());

    private static ValueTask<bool> PublishAsync(IDeliveryStore store, string eventId, string deliveryId, DateTimeOffset? dueAt = null, string automationId = "aut_1")
    {
        var e = StoreSamples.Event(eventId);
        return store.PublishAsync(e, [StoreSamples.Delivery(e, deliveryId, dueAt ?? T0, automationId: automationId)]);
    }

    private static async Task SucceedAllAsync(IDeliveryStore store)
    {
        while (await store.ClaimDueAsync(T0, 50, TimeSpan.FromMinutes(1)) is { Count: > 0 } leases)
        {
            foreach (var lease in leases)
            {
                Assert.True(await store.CompleteAsync(lease, DeliveryCompletion.Succeeded(T0)));
            }
        }
    }
}
