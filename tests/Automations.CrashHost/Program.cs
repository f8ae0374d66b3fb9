// The crash test's host: publishes events 0..count-1 (idempotent ids, so a restarted host republishes them all
// and only the missing ones are new) to three automations whose custom action POSTs the delivery id to a local
// receiver, runs the delivery worker, and exits 0 once nothing is pending. The test SIGKILLs it at random moments.
using System.Net.Http.Json;
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 3 || !int.TryParse(args[2], out var count))
{
    await Console.Error.WriteLineAsync("usage: Automations.CrashHost <database file> <receiver url> <event count>");
    return 2;
}

var (database, receiver) = (args[0], new Uri(args[1]));
var services = new ServiceCollection();
services.AddSingleton(new ReceiverTarget(receiver));
services.AddAutomations(o =>
    {
        o.LeaseDuration = TimeSpan.FromSeconds(2);
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.RateLimitPerAutomation = null;
        o.MaxConcurrency = 8;
        o.MaxConcurrencyPerEndpoint = 8;
        o.RetryJitter = 0;
        o.RetrySchedule.Clear();
        for (var i = 0; i < 100; i++)
        {
            o.RetrySchedule.Add(TimeSpan.FromMilliseconds(100));
        }
    })
    .UseSqlite($"Data Source={database}")
    .ConfigureSecrets(o =>
    {
        // No secret is stored here (so a new key per run is fine), but a durable secret store needs a key ring to start.
        o.CurrentKeyId = "crash";
        o.Keys["crash"] = Automations.Core.Secrets.SecretKeyRing.GenerateKey();
    })
    .AddActionHandler<PostHandler>();

await using var provider = services.BuildServiceProvider();
var automations = provider.GetRequiredService<IAutomationStore>();
var engine = provider.GetRequiredService<AutomationEngine>();
var worker = provider.GetRequiredService<DeliveryWorker>();
var deliveries = provider.GetRequiredService<IDeliveryStore>();

var t0 = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
var scope = AutomationScope.ForProject("acme", "vision");
for (var k = 1; k <= 3; k++)
{
    var action = new CustomAction(PostHandler.KindName, JsonSerializer.SerializeToElement(new { n = k }));
    await automations.AddAsync(new Automation($"aut_{k}", $"crash-{k}", new AutomationTrigger(ArtifactEventType.LinkArtifact, scope), action, t0, t0));
}

engine.DeliveriesPlanned += (_, _) => worker.Wake();
using var stop = new CancellationTokenSource();
var running = worker.RunAsync(stop.Token);

const int BatchSize = 10;
for (var start = 0; start < count; start += BatchSize)
{
    var batch = Enumerable.Range(start, Math.Min(BatchSize, count - start)).Select(i => new ArtifactEvent(
        $"evt-{i:D5}",
        ArtifactEventType.LinkArtifact,
        ArtifactContainer.Project("acme", "vision"),
        "dataset",
        new ArtifactVersion($"art-{i}", "dataset", $"v{i}"),
        "crash-host",
        t0));
    await engine.PublishManyAsync(batch);
    await Task.Delay(15);
}

Console.WriteLine("published");
while (await deliveries.CountPendingAsync() > 0)
{
    await Task.Delay(50);
}

await stop.CancelAsync();
await running;
Console.WriteLine("drained");
return 0;

internal sealed record ReceiverTarget(Uri Url);

/// <summary>POSTs the delivery id (with its event and automation) to the receiver; 2xx is success.</summary>
internal sealed class PostHandler(ReceiverTarget target) : IActionHandler, IDisposable
{
    public const string KindName = "crash.post";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public string Kind => KindName;

    public ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default)
        => ValueTask.CompletedTask;

    public string? GetConcurrencyKey(Delivery delivery) => null;

    public async ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default)
    {
        var delivery = lease.Delivery;
        using var response = await _http.PostAsJsonAsync(
            target.Url,
            new { deliveryId = delivery.Id, eventId = delivery.Event.EventId, automationId = delivery.AutomationId, attempt = lease.Attempt },
            cancellationToken);
        return response.IsSuccessStatusCode
            ? ActionResult.Success(target.Url.ToString())
            : ActionResult.Failure(ActionOutcome.RetryableFailure, $"HTTP {(int)response.StatusCode}", target.Url.ToString());
    }

    public void Dispose() => _http.Dispose();
}
