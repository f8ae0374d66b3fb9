using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Integrations;
using Automations.Core.DependencyInjection;
using Automations.Core.Engine;
using Automations.Core.Secrets;
using Automations.Core.Signing;
using Automations.Core.Storage.InMemory;
using Automations.Core.Tests.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Engine;

/// <summary>
/// The engine as a host wires it (<c>AddAutomations</c>, loopback-enabled dispatcher, in-memory stores), with a fake
/// clock, every log line captured at Trace, and three users: ada (admin of acme), mel (member of acme), otto
/// (admin of globex).
/// </summary>
internal sealed class SecretsTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private int _events;

    private SecretsTestHost(ServiceProvider services, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        Services = services;
        Time = time;
        Logs = logs;
    }

    public static AutomationActor Ada { get; } = new("ada");

    public static AutomationActor Mel { get; } = new("mel");

    public static AutomationActor Otto { get; } = new("otto");

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public SecretManager Secrets => Services.GetRequiredService<SecretManager>();

    public WebhookIntegrationManager Integrations => Services.GetRequiredService<WebhookIntegrationManager>();

    public AutomationManager Automations => Services.GetRequiredService<AutomationManager>();

    public AutomationEngine Engine => Services.GetRequiredService<AutomationEngine>();

    public DeliveryWorker Worker => Services.GetRequiredService<DeliveryWorker>();

    public InMemorySecretStore SecretStore => Services.GetRequiredService<InMemorySecretStore>();

    public InMemoryTeamRoleProvider Roles => Services.GetRequiredService<InMemoryTeamRoleProvider>();

    public static SecretsTestHost Create(Action<SecretOptions>? secrets = null, Action<AutomationsBuilder>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var builder = services.AddAutomations(o => o.RetryJitter = 0)
            .AddTeamRoles(r => r.Grant("acme", Ada.UserName, TeamRole.Admin)
                .Grant("acme", Mel.UserName, TeamRole.Member)
                .Grant("globex", Otto.UserName, TeamRole.Admin));
        if (secrets is not null)
        {
            builder.ConfigureSecrets(secrets);
        }

        configure?.Invoke(builder);
        services.AddAutomationsWebhookDispatcher(o =>
        {
            o.EndpointPolicy.AllowLoopback = true;
            o.EndpointPolicy.AllowHttp = true;
        });
        return new SecretsTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time, logs);
    }

    public Task<WebhookIntegration> CreateIntegrationAsync(Uri url, string? signing = null, string? token = null, WebhookSigningScheme scheme = WebhookSigningScheme.Wandb, string name = "ci hook", string entity = "acme")
        => Integrations.CreateAsync(entity == "acme" ? Ada : Otto, new WebhookIntegrationDefinition(entity, name, url.ToString(), signing, token, scheme));

    public Task<Automation> CreateWebhookAutomationAsync(string integrationId, string template, string name = "deploy")
        => Automations.CreateAsync(Ada, new AutomationDefinition(name, EngineHarness.OnLink(), new WebhookAction(integrationId, template)));

    public ArtifactEvent Link(string entity = "acme")
        => new(
            $"evt-{Interlocked.Increment(ref _events)}",
            ArtifactEventType.LinkArtifact,
            new ArtifactContainer(entity, "vision", ArtifactContainerKind.Project),
            "ds",
            new ArtifactVersion("101", "ds", "v1", ["latest"]),
            "alice",
            Time.GetUtcNow());

    /// <summary>Publishes one event and runs the worker until nothing is due.</summary>
    public async Task<PublishResult> PublishAndDeliverAsync(ArtifactEvent? e = null)
    {
        var result = await Engine.PublishAsync(e ?? Link());
        while (await Worker.RunOnceAsync() > 0)
        {
        }

        return result;
    }

    public async Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string automationId)
        => (await Automations.GetHistoryAsync(Ada, automationId, new PageRequest(PageRequest.MaxPageSize))).Items;

    public async Task<IReadOnlyList<Delivery>> DeliveriesAsync(string automationId)
        => (await Automations.ListDeliveriesAsync(Ada, automationId, page: new PageRequest(PageRequest.MaxPageSize))).Items;

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
