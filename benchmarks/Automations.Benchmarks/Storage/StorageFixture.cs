using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Engine.Handlers;
using Automations.Core.Storage.InMemory;
using Automations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Automations.Benchmarks.Storage;

/// <summary>An engine and worker on one kind of store, with three automations matching every event.</summary>
internal sealed class StorageFixture : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly string? _directory;
    private long _events;

    public StorageFixture(bool sqlite, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Full)
    {
        if (sqlite)
        {
            _directory = Path.Combine(Path.GetTempPath(), "automations-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_directory);
            var database = new SqliteAutomationsDatabase(new SqliteStoreOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "bench.db")}", Synchronous = synchronous });
            Automations = new SqliteAutomationStore(database);
            Deliveries = new SqliteDeliveryStore(database);
            History = new SqliteExecutionHistoryStore(database);
        }
        else
        {
            Automations = new InMemoryAutomationStore();
            Deliveries = new InMemoryDeliveryStore();
            History = new InMemoryExecutionHistoryStore();
        }

        var options = Options.Create(new AutomationEngineOptions { RateLimitPerAutomation = null, RetryJitter = 0 });
        Engine = new AutomationEngine(Automations, Deliveries, History, options);
        Worker = new DeliveryWorker(Deliveries, History, [new NoOpActionHandler()], options);
        var scope = AutomationScope.ForProject("acme", "vision");
        for (var k = 1; k <= 3; k++)
        {
            Automations.AddAsync(new Automation($"aut_{k}", $"bench-{k}", new AutomationTrigger(ArtifactEventType.LinkArtifact, scope), NoOpAction.Instance, T0, T0)).AsTask().GetAwaiter().GetResult();
        }
    }

    public IAutomationStore Automations { get; }

    public IDeliveryStore Deliveries { get; }

    public IExecutionHistoryStore History { get; }

    public AutomationEngine Engine { get; }

    public DeliveryWorker Worker { get; }

    /// <summary>Fresh events (new ids), each matching all three automations.</summary>
    public List<ArtifactEvent> NextEvents(int count)
    {
        var list = new List<ArtifactEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _events);
            list.Add(new ArtifactEvent($"evt-{n}", ArtifactEventType.LinkArtifact, ArtifactContainer.Project("acme", "vision"), "dataset", new ArtifactVersion($"art-{n}", "dataset", "v1", ["latest"]), "bench", T0));
        }

        return list;
    }

    public void Dispose()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
