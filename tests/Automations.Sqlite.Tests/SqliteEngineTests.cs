using System.Text;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Secrets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Automations.Testing.StoreSamples;

namespace Automations.Sqlite.Tests;

/// <summary>The engine as a host wires it: <c>AddAutomations().UseSqlite(...)</c>, end to end on a real file.</summary>
public sealed class SqliteEngineTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly string _key = SecretKeyRing.GenerateKey();

    public void Dispose() => _db.Dispose();

    private ServiceProvider Build(string? key = null) => new ServiceCollection()
        .AddAutomations(o => o.RateLimitPerAutomation = null)
        .UseSqlite(_db.ConnectionString, o => o.Synchronous = SqliteSynchronousMode.Normal)
        .ConfigureSecrets(o =>
        {
            o.CurrentKeyId = "k1";
            o.Keys["k1"] = key ?? _key;
        })
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
        Assert.IsType<SqliteIntegrationStore>(provider.GetRequiredService<IIntegrationStore>());
        Assert.IsType<SqliteSecretStore>(provider.GetRequiredService<ISecretStore>());
        Assert.Equal(SqliteSynchronousMode.Normal, provider.GetRequiredService<SqliteAutomationsDatabase>().Synchronous);
        Assert.Equal("k1", provider.GetRequiredService<ISecretProtector>().CurrentKeyId);
    }

    [Fact]
    public async Task Without_a_key_ring_the_host_does_not_start_and_says_what_to_configure()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAutomations().UseSqlite(_db.ConnectionString);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("SqliteSecretStore", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ConfigureSecrets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SecretOptions.Keys", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_and_integrations_survive_a_restart_encrypted_and_need_the_same_key()
    {
        var alice = new AutomationActor("alice");
        const string Value = "a-long-random-team-secret-value";
        string integrationId;
        using (var provider = Build())
        {
            await provider.GetRequiredService<SecretManager>().CreateAsync(alice, "acme", "WEBHOOK_SECRET", Value);
            var hook = await provider.GetRequiredService<WebhookIntegrationManager>().CreateAsync(alice,
                new WebhookIntegrationDefinition("acme", "ci", "https://ci.example.com/hooks/wandb", SigningSecretName: "WEBHOOK_SECRET"));
            integrationId = hook.Id;
        }

        // The file holds ciphertext only.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_db.Directory))
        {
            Assert.DoesNotContain(Value, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }

        // A restarted process with the same key ring reads both back.
        using (var again = Build())
        {
            Assert.Equal(Value, await again.GetRequiredService<ISecretResolver>().GetSecretAsync("acme", "WEBHOOK_SECRET"));
            var integrations = await again.GetRequiredService<WebhookIntegrationManager>().ListAsync(alice, "acme");
            Assert.Equal(integrationId, Assert.Single(integrations).Id);
            Assert.Equal(["WEBHOOK_SECRET"], (await again.GetRequiredService<SecretManager>().ListAsync(alice, "acme")).Select(s => s.Name));
        }

        // With another key the value cannot be read, and the error says so without the value.
        using var otherKey = Build(SecretKeyRing.GenerateKey());
        var ex = await Assert.ThrowsAsync<SecretDecryptionException>(async () => await otherKey.GetRequiredService<ISecretResolver>().GetSecretAsync("acme", "WEBHOOK_SECRET"));
        Assert.DoesNotContain(Value, ex.ToString(), StringComparison.Ordinal);
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
            command.CommandText = $"INSERT INTO schema_version (version, applied_at) VALUES ({SqliteAutomationsDatabase.SchemaVersion + 1}, 'later');";
            command.ExecuteNonQuery();
        }

        using var provider = Build();
        var migration = provider.GetServices<IHostedService>().Single(s => s.GetType().Name.Contains("Migration", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<Automations.Core.Domain.AutomationsException>(() => migration.StartAsync(CancellationToken.None));
        Assert.Contains($"schema version {SqliteAutomationsDatabase.SchemaVersion + 1}", ex.Message, StringComparison.Ordinal);
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
