using Automations.Core.Abstractions;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Automations.Testing.StoreSamples;

namespace Automations.Sqlite.Tests;

/// <summary>The engine as a host wires it: <c>AddAutomations().UseSqlite(...)</c>, end to end on a real file.</summary>
public sealed class SqliteEngineTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private ServiceProvider Build() => new ServiceCollection()
        .AddAutomations(o => o.RateLimitPerAutomation = null)
        .UseSqlite(_db.ConnectionString, o => o.Synchronous = SqliteSynchronousMode.Normal)
        .AddTeamRoles(r => r.Grant("acme", "alice", TeamRole.Admin))
        .Services
        .BuildServiceProvider();

    [Fact]
    public void UseSqlite_replaces_the_in_memory_stores()
    {
        using var provider = Build();

        Assert.IsType<SqliteAutomationStore>(provider.GetRequiredService<IAutomationStore>());
        Assert.IsType<SqliteDeliveryStore>(provider.GetRequiredService<IDeliveryStore>());
        Assert.IsType<SqliteExecutionHistoryStore>(provider.GetRequiredService<IExecutionHistoryStore>());
        Assert.Equal(SqliteSynchronousMode.Normal, provider.GetRequiredService<SqliteAutomationsDatabase>().Synchronous);
    }

    [Fact]
    public void Bad_settings_fail_at_registration()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<Automations.Core.Domain.AutomationValidationException>(() => services.AddAutomations().UseSqlite("Data Source=x.db", o => o.BusyTimeout = TimeSpan.FromHours(2)));

        Assert.Equal("busyTimeout", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task Host_start_fails_clearly_on_a_newer_schema()
    {
        await _db.Database.MigrateAsync();
        using (var connection = _db.Database.OpenForWrite())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (2, 'later');";
            command.ExecuteNonQuery();
        }

        using var provider = Build();
        var migration = provider.GetServices<IHostedService>().Single(s => s.GetType().Name.Contains("Migration", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<Automations.Core.Domain.AutomationsException>(() => migration.StartAsync(CancellationToken.None));
        Assert.Contains("schema version 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_events_are_delivered_and_recorded_in_the_file()
    {
        using (var provider = Build())
        {
            var manager = provider.GetRequiredService<AutomationManager>();
            var engine = provider.GetRequiredService<AutomationEngine>();
            var worker = provider.GetRequiredService<DeliveryWorker>();
            var alice = new AutomationActor("alice");
            var trigger = new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision"));
            var a1 = await manager.CreateAsync(alice, new AutomationDefinition("one", trigger, NoOpAction.Instance));
            await manager.CreateAsync(alice, new AutomationDefinition("two", trigger, NoOpAction.Instance));
            await manager.CreateAsync(alice, new AutomationDefinition("three", trigger, NoOpAction.Instance));

            var results = await engine.PublishManyAsync([Event("e1"), Event("e2"), Event("e1")]);

            Assert.Equal([false, false, true], results.Select(r => r.Duplicate));
            Assert.Equal(3, results[0].DeliveryIds.Count);
            Assert.Equal(6, await worker.RunOnceAsync());
            var history = await provider.GetRequiredService<IExecutionHistoryStore>().ListByAutomationAsync(a1.Id, PageRequest.First);
            Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Succeeded, ExecutionStatus.Pending, ExecutionStatus.Pending], history.Items.Select(r => r.Status));
        }

        // A new process (a new container, a new database entry point) sees everything that was committed.
        using var again = Build();
        var deliveries = again.GetRequiredService<IDeliveryStore>();
        Assert.Equal(0, await deliveries.CountPendingAsync());
        var automation = (await again.GetRequiredService<IAutomationStore>().ListAsync("acme", PageRequest.First)).Items.Single(a => a.Name == "one");
        var done = await deliveries.ListByAutomationAsync(automation.Id, DeliveryStatus.Succeeded, PageRequest.First);
        Assert.Equal(["e2", "e1"], done.Items.Select(d => d.Event.EventId));
        Assert.True((await again.GetRequiredService<AutomationEngine>().PublishAsync(Event("e2"))).Duplicate);
    }
}
