using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Engine;
using Automations.Core.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Automations.Core.Domain.Endpoints;

namespace Automations.Cli.Demo;

/// <summary>
/// The engine embedded as a host application would: a generic host with <c>AddAutomations</c> (its background
/// worker delivers), the demo's store (<see cref="DemoStore"/>: SQLite in a temporary file), an in-memory launch queue, and the webhook
/// dispatcher with loopback targets explicitly allowed — for the demo only, since its receiver is on 127.0.0.1.
/// </summary>
internal sealed class DemoEngine : IAsyncDisposable
{
    private readonly IHost _host;

    private DemoEngine(IHost host, DemoStore store)
    {
        _host = host;
        Store = store;
    }

    /// <summary>The demo's database (a temporary SQLite file, deleted when this engine is disposed).</summary>
    public DemoStore Store { get; }

    /// <summary>The entry point for publishing events.</summary>
    public AutomationEngine Engine => _host.Services.GetRequiredService<AutomationEngine>();

    /// <summary>The automations management API.</summary>
    public AutomationManager Automations => _host.Services.GetRequiredService<AutomationManager>();

    /// <summary>The webhook integrations management API.</summary>
    public WebhookIntegrationManager Integrations => _host.Services.GetRequiredService<WebhookIntegrationManager>();

    /// <summary>The team secrets management API (values are write-only).</summary>
    public SecretManager Secrets => _host.Services.GetRequiredService<SecretManager>();

    /// <summary>The delivery store, to watch deliveries finish.</summary>
    public IDeliveryStore Deliveries => _host.Services.GetRequiredService<IDeliveryStore>();

    /// <summary>Builds and starts the host (the worker starts with it).</summary>
    /// <param name="settings">The demo's retry schedule and polling.</param>
    /// <param name="launchQueue">The launch queue used by launch-job actions.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running engine.</returns>
    public static async Task<DemoEngine> StartAsync(DemoSettings settings, ILaunchQueue launchQueue, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        var automations = builder.Services.AddAutomations(options =>
        {
            options.RetrySchedule.Clear();
            foreach (var delay in settings.RetrySchedule)
            {
                options.RetrySchedule.Add(delay);
            }

            options.PollInterval = settings.PollInterval;
        });
        automations.AddLaunchQueue(launchQueue);
        automations.AddTeamRoles(roles => roles.Grant(DemoScenario.Entity, DemoScenario.AdminName, TeamRole.Admin));
        var store = DemoStore.Configure(automations);
        IHost? host = null;
        try
        {
            builder.Services.AddAutomationsWebhookDispatcher(options =>
            {
                options.EndpointPolicy.AllowLoopback = true; // the demo's receiver is on 127.0.0.1; never in production
                options.Timeout = settings.DeliveryTimeout;
            });

            host = builder.Build();
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host?.Dispose();
            store.Dispose();
            throw;
        }

        return new DemoEngine(host, store);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down anyway.
        }

        _host.Dispose();
        Store.Dispose();
    }
}

/// <summary>Knobs of the demo run (the defaults are what <c>automations demo</c> uses; tests change them).</summary>
internal sealed record DemoSettings
{
    /// <summary>
    /// The retry schedule: short, so the failing-then-retried delivery finishes in well under a second (the library's
    /// default is now, 5 s, 5 min, 30 min, 2 h, … 24 h).
    /// </summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; init; } =
        [TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    /// <summary>How often the idle worker looks for due retries.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The dispatcher's per-request timeout.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many first requests to the Slack path the receiver answers with 503.</summary>
    public int SlackFailuresBeforeSuccess { get; init; } = 1;

    /// <summary>How long to wait for every delivery to finish before giving up.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);
}
