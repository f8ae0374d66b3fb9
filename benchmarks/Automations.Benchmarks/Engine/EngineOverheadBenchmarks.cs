using Automations.Core.Engine;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Templates;
using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Engine;

/// <summary>
/// The engine's own work per delivery, without a network: the same setup as <see cref="DispatchBenchmarks"/>
/// (in-memory stores, GitHub preset, <c>X-Wandb-Signature</c> with an encrypted team secret) but the dispatcher
/// answers 200 at once. 256 events are published in one batch and the worker is pumped on one thread
/// (<see cref="DeliveryWorker.RunOnceAsync"/>) until all are recorded: publish, match, plan, history, claim, render,
/// secret lookup, sign, build the request, record the attempt, complete. The baseline is the part no engine can skip:
/// rendering the payload and signing it. Per-operation time is per delivery.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EngineOverheadBenchmarks
{
    private const int Deliveries = 256;
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(4096);
    private BenchmarkEngine _host = null!;
    private AutomationEngine _engine = null!;
    private DeliveryWorker _worker = null!;
    private InstantDispatcher _dispatcher = null!;
    private WebhookSigner _signer = null!;
    private TemplateContext _context = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dispatcher = new InstantDispatcher();
        _host = await BenchmarkEngine.CreateAsync("https://hooks.example.com/automations", allowLoopback: false, _dispatcher);
        _engine = _host.Engine;
        _worker = _host.Worker;
        _signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, [BenchmarkEngine.SigningSecret]);
        _context = BenchmarkEngine.NewTemplateContext();

        await Engine_publish_and_deliver();
        if (_dispatcher.Dispatched != Deliveries)
        {
            throw new InvalidOperationException($"Expected {Deliveries} dispatches, saw {_dispatcher.Dispatched}.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
    }

    /// <summary>The floor: render the GitHub preset into a reused buffer and sign it.</summary>
    /// <returns>The signature.</returns>
    [Benchmark(Baseline = true)]
    public string Render_and_sign()
    {
        _buffer.ResetWrittenCount();
        PayloadTemplatePresets.GitHubRepositoryDispatch.Render(_context, null, _buffer);
        return _signer.Sign("dlv_0", DateTimeOffset.UtcNow, _buffer.WrittenSpan).WandbSignature!;
    }

    /// <summary>Publish 256 events in one batch and deliver them all through the engine (no network).</summary>
    /// <returns>A task that completes when every delivery is recorded.</returns>
    [Benchmark(OperationsPerInvoke = Deliveries)]
    public async Task Engine_publish_and_deliver()
    {
        var events = _host.NewEvents(Deliveries);
        await _engine.PublishManyAsync(events);
        var done = 0;
        while (done < Deliveries)
        {
            var ran = await _worker.RunOnceAsync();
            if (ran == 0)
            {
                throw new InvalidOperationException($"Only {done} of {Deliveries} deliveries were due.");
            }

            done += ran;
        }
    }

    /// <summary>A dispatcher that answers 200 at once, as a receiver on the same machine would, without the network.</summary>
    private sealed class InstantDispatcher : IWebhookDispatcher
    {
        private long _dispatched;

        public long Dispatched => Interlocked.Read(ref _dispatched);

        public Task<WebhookDispatchOutcome> DispatchAsync(WebhookDispatchRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _dispatched);
            return Task.FromResult(new WebhookDispatchOutcome(
                WebhookDispatchOutcomeKind.Succeeded, WebhookFailureReason.None, request.DeliveryId, "The endpoint answered 200 OK.", 200));
        }
    }
}
