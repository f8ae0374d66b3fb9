using System.Net;
using Automations.Core.Engine;
using Automations.Core.Http;
using Automations.Core.Templates;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automations.Benchmarks.Engine;

/// <summary>
/// End-to-end delivery throughput: the engine (in-memory stores; match, plan, claim, render the GitHub-dispatch
/// preset, sign with X-Wandb-Signature, SSRF-guarded POST, record) against a plain HttpClient loop POSTing the
/// same request (the same body and the same headers: User-Agent, X-Automations-Delivery and X-Wandb-Signature, with
/// values computed once), both to the same loopback Kestrel receiver at the same concurrency (16). Per-operation
/// time is per delivered request.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DispatchBenchmarks
{
    internal const int Requests = 256;
    private const int Concurrency = BenchmarkEngine.Concurrency;
    private WebApplication _receiver = null!;
    private BenchmarkEngine _host = null!;
    private AutomationEngine _engine = null!;
    private DeliveryWorker _worker = null!;
    private CancellationTokenSource _stop = null!;
    private Task _loop = null!;
    private HttpClient _plain = null!;
    private Uri _url = null!;
    private byte[] _payload = null!;
    private string _signature = null!;
    private long _received;
    private long _target;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpContext context) =>
        {
            using var sink = new MemoryStream();
            await context.Request.Body.CopyToAsync(sink);
            if (Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
            {
                _reached.TrySetResult();
            }

            return Results.Ok();
        });
        await _receiver.StartAsync();
        var address = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = new Uri(address + "/hook");

        _host = await BenchmarkEngine.CreateAsync(_url.ToString(), allowLoopback: true);
        _engine = _host.Engine;
        _worker = _host.Worker;
        _engine.DeliveriesPlanned += (_, _) => _worker.Wake();
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => _worker.RunAsync(_stop.Token));

        _payload = PayloadTemplatePresets.GitHubRepositoryDispatch.RenderToUtf8Bytes(BenchmarkEngine.NewTemplateContext());
        _signature = Automations.Core.Signing.WebhookSigner.FromSecrets(Automations.Core.Signing.WebhookSigningScheme.Wandb, [BenchmarkEngine.SigningSecret])
            .Sign("dlv_0", DateTimeOffset.UtcNow, _payload).WandbSignature!;
        _plain = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, MaxConnectionsPerServer = Concurrency });

        // One round of each so connections are open before measuring.
        await Engine_deliveries();
        await HttpClient_loop();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _plain.Dispose();
        await _host.DisposeAsync();
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }

    /// <summary>Plain HttpClient POSTs of the pre-rendered payload with the same headers, 16 at a time (the baseline).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public async Task HttpClient_loop()
    {
        var arrived = Expect(Requests);
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            using var content = new ByteArrayContent(_payload);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = content };
            request.Headers.TryAddWithoutValidation("User-Agent", WebhookDispatcher.UserAgent);
            request.Headers.TryAddWithoutValidation(WebhookDispatcher.DeliveryIdHeaderName, "dlv_0192a3b4c5d6e7f8a9b0c1d2e3f4a5b6");
            request.Headers.TryAddWithoutValidation("X-Wandb-Signature", _signature);
            using var response = await _plain.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Receiver answered {response.StatusCode}.");
            }
        });
        await arrived;
    }

    /// <summary>
    /// The engine: the 256 events are published in one batch (<c>PublishManyAsync</c>, as a host with a burst of
    /// events would) and delivered by the background worker, 16 at a time.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task Engine_deliveries()
    {
        var arrived = Expect(Requests);
        var events = _host.NewEvents(Requests);
        await _engine.PublishManyAsync(events);
        await arrived.WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>The engine with one <c>PublishAsync</c> call per event (a host publishing events as they happen).</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task Engine_deliveries_published_one_by_one()
    {
        var arrived = Expect(Requests);
        for (var i = 0; i < Requests; i++)
        {
            await _engine.PublishAsync(_host.NewEvent());
        }

        await arrived.WaitAsync(TimeSpan.FromMinutes(2));
    }

    private Task Expect(int count)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, Interlocked.Read(ref _received) + count);
        return _reached.Task;
    }
}
