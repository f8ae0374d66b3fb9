using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using static Automations.Testing.StoreSamples;

namespace Automations.Testing;

/// <summary>
/// The semantics every <see cref="IExecutionHistoryStore"/> must honour: rows listed newest first by automation
/// and by delivery, stable paging while rows are appended, the latest row, faithful round trips. Each store's
/// tests derive a class and implement <see cref="CreateStore"/>.
/// </summary>
public abstract class HistoryStoreConformanceTests
{
    protected abstract IExecutionHistoryStore CreateStore();

    [Fact]
    public async Task A_row_round_trips_every_field()
    {
        var store = CreateStore();
        var record = new ExecutionRecord
        {
            Id = "exe_1",
            DeliveryId = "dlv_1",
            AutomationId = "aut_1",
            Entity = "acme",
            EventId = "evt-1",
            EventType = ArtifactEventType.AddArtifactAlias,
            At = T0.AddSeconds(7),
            Attempt = 3,
            Status = ExecutionStatus.Failed,
            Target = "https://hooks.example.com/x",
            RequestBody = """{"token":"***"}""",
            ResponseStatus = 503,
            ResponseBody = "busy",
            Error = "HTTP 503",
            Duration = TimeSpan.FromMilliseconds(1234.5),
        };

        await store.AppendAsync(record);

        Assert.Equal(record, (await store.GetLatestAsync("aut_1"))!);
        Assert.Equal(record, Assert.Single((await store.ListByDeliveryAsync("dlv_1", PageRequest.First)).Items));
        Assert.Null(await store.GetLatestAsync("aut_other"));
    }

    [Fact]
    public async Task A_batch_with_a_null_row_writes_nothing()
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.AppendManyAsync([Record("r1"), null!, Record("r3")]));

        Assert.Null(await store.GetLatestAsync("aut_1"));
        Assert.Empty((await store.ListByAutomationAsync("aut_1", PageRequest.First)).Items);
    }

    [Fact]
    public async Task Rows_are_listed_newest_first_and_paging_is_stable_while_rows_are_appended()
    {
        var store = CreateStore();
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(Record($"r{i}", attempt: i));
        }

        var page1 = await store.ListByAutomationAsync("aut_1", new PageRequest(2));
        await store.AppendAsync(Record("r6", attempt: 6));
        var page2 = await store.ListByAutomationAsync("aut_1", new PageRequest(2, page1.NextPageToken));
        var page3 = await store.ListByAutomationAsync("aut_1", new PageRequest(2, page2.NextPageToken));

        Assert.Equal(["r5", "r4"], page1.Items.Select(r => r.Id));
        Assert.Equal(["r3", "r2"], page2.Items.Select(r => r.Id));
        Assert.Equal(["r1"], page3.Items.Select(r => r.Id));
        Assert.Null(page3.NextPageToken);
        Assert.Equal("r6", (await store.GetLatestAsync("aut_1"))!.Id);
    }

    [Theory]
    [InlineData("%%%")] // not base64url
    [InlineData("enp6")] // base64url of "zzz": well formed, but no token this store issues
    public async Task A_page_token_the_store_did_not_issue_is_refused(string token)
    {
        var store = CreateStore();
        await store.AppendAsync(Record("r1"));

        await Assert.ThrowsAsync<AutomationValidationException>(async () => await store.ListByAutomationAsync("aut_1", new PageRequest(2, token)));
        await Assert.ThrowsAsync<AutomationValidationException>(async () => await store.ListByDeliveryAsync("d1", new PageRequest(2, token)));
    }

    [Fact]
    public async Task The_latest_row_has_the_latest_time_even_when_it_was_appended_first()
    {
        var store = CreateStore();

        // The worker recorded the attempt before the engine's "pending" row for the same delivery was stored.
        await store.AppendAsync(Record("attempt", attempt: 1) with { At = T0.AddSeconds(5) });
        await store.AppendAsync(Record("pending", attempt: 0, status: ExecutionStatus.Pending) with { At = T0 });
        Assert.Equal("attempt", (await store.GetLatestAsync("aut_1"))!.Id);

        // Equal times: the last appended wins.
        await store.AppendAsync(Record("same-1", attempt: 2) with { At = T0.AddSeconds(9) });
        await store.AppendAsync(Record("same-2", attempt: 3, status: ExecutionStatus.Failed) with { At = T0.AddSeconds(9) });
        Assert.Equal("same-2", (await store.GetLatestAsync("aut_1"))!.Id);

        // Listing stays in append order.
        Assert.Equal(["same-2", "same-1", "pending", "attempt"], (await store.ListByAutomationAsync("aut_1", PageRequest.First)).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task A_delivery_with_many_attempts_is_listed_newest_first_across_pages()
    {
        var store = CreateStore();
        for (var attempt = 1; attempt <= 7; attempt++)
        {
            await store.AppendAsync(Record($"r{attempt}", automationId: "aut_a", deliveryId: "d1", attempt: attempt));
            await store.AppendAsync(Record($"x{attempt}", automationId: "aut_a", deliveryId: "d2", attempt: attempt));
        }

        var seen = new List<string>();
        var token = (string?)null;
        do
        {
            var page = await store.ListByDeliveryAsync("d1", new PageRequest(3, token));
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(r => r.Id));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(["r7", "r6", "r5", "r4", "r3", "r2", "r1"], seen);
        Assert.Equal(["r1"], (await store.ListByDeliveryAsync("d1", new PageRequest(3, (await store.ListByDeliveryAsync("d1", new PageRequest(6))).NextPageToken))).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Rows_are_listed_by_delivery_and_by_automation_separately()
    {
        var store = CreateStore();
        await store.AppendAsync(Record("a1", automationId: "aut_a", deliveryId: "d1"));
        await store.AppendAsync(Record("b1", automationId: "aut_b", deliveryId: "d2"));
        await store.AppendAsync(Record("a2", automationId: "aut_a", deliveryId: "d3"));
        await store.AppendAsync(Record("a3", automationId: "aut_a", deliveryId: "d1", attempt: 2));

        Assert.Equal(["a3", "a2", "a1"], (await store.ListByAutomationAsync("aut_a", PageRequest.First)).Items.Select(r => r.Id));
        Assert.Equal(["a3", "a1"], (await store.ListByDeliveryAsync("d1", PageRequest.First)).Items.Select(r => r.Id));
        Assert.Equal(["b1"], (await store.ListByAutomationAsync("aut_b", PageRequest.First)).Items.Select(r => r.Id));
        Assert.Empty((await store.ListByDeliveryAsync("none", PageRequest.First)).Items);
    }

    [Fact]
    public async Task Batch_append_keeps_the_order()
    {
        var store = CreateStore();
        await store.AppendAsync(Record("r0"));

        await store.AppendManyAsync([Record("r1"), Record("r2"), Record("r3")]);

        Assert.Equal(["r3", "r2", "r1", "r0"], (await store.ListByAutomationAsync("aut_1", PageRequest.First)).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task A_page_token_from_elsewhere_is_a_validation_error()
    {
        var store = CreateStore();
        await store.AppendAsync(Record("r1"));

        await Assert.ThrowsAsync<Automations.Core.Domain.AutomationValidationException>(async () => await store.ListByAutomationAsync("aut_1", new PageRequest(2, "!!")));
    }
}
