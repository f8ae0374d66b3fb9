using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Storage;

/// <summary>
/// The delivery loop's store overhead per delivery: claim (lease), run a no-op action, append the history row,
/// complete (fenced). 1,500 deliveries are planned before each iteration (not measured), then
/// <c>DeliveryWorker.RunOnceAsync</c> drains them. In-memory vs SQLite (WAL, synchronous=FULL) in the same run.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8, invocationCount: 1)]
public class DeliveryLoopBenchmarks
{
    private const int Events = 500;
    private const int Deliveries = Events * 3;
    private StorageFixture _fixture = null!;

    [Params("InMemory", "Sqlite")]
    public string Store { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup() => _fixture = new StorageFixture(sqlite: Store == "Sqlite");

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [IterationSetup]
    public void Plan() => _fixture.Engine.PublishManyAsync(_fixture.NextEvents(Events)).GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Deliveries)]
    public async Task<int> Deliver_one()
    {
        var claimed = await _fixture.Worker.RunOnceAsync().ConfigureAwait(false);
        return claimed == Deliveries ? claimed : throw new InvalidOperationException($"Claimed {claimed} of {Deliveries}.");
    }
}
