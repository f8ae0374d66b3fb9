using Automations.Sqlite;
using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Storage;

/// <summary>
/// Durable publish: events matching three automations each, written to SQLite (WAL) through
/// <c>AutomationEngine.PublishManyAsync</c> in batches of <see cref="Batch"/> — the event, its three deliveries
/// and their three history rows. Reported per event (500 events per operation).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class DurablePublishBenchmarks
{
    private const int EventsPerOperation = 500;
    private StorageFixture _fixture = null!;

    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; }

    [Params(1, 100)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = new StorageFixture(sqlite: true, Synchronous);

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(OperationsPerInvoke = EventsPerOperation)]
    public async Task Publish_event_with_3_matching_automations()
    {
        for (var done = 0; done < EventsPerOperation; done += Batch)
        {
            await _fixture.Engine.PublishManyAsync(_fixture.NextEvents(Batch)).ConfigureAwait(false);
        }
    }
}
