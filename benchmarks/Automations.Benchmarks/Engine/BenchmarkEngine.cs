using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Http;
using Automations.Core.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Automations.Benchmarks.Engine;

/// <summary>
/// The engine the engine benchmarks measure: registered through DI with in-memory stores, concurrency 16 overall
/// and per endpoint, no rate limit, team <c>acme</c> with the secret <c>WEBHOOK_SECRET</c>, one webhook integration
/// signing with it (<c>X-Wandb-Signature</c>) and one automation on LINK_ARTIFACT in project <c>acme/vision</c>
/// sending the GitHub dispatch preset.
/// </summary>
internal sealed class BenchmarkEngine : IAsyncDisposable
{
    public const int Concurrency = 16;
    public const string SigningSecret = "bench-secret-value";

    private static readonly ArtifactContainer s_container = ArtifactContainer.Project("acme", "vision");
    private static readonly ArtifactVersion s_version = new("101", "dataset", "v1", ["latest"]);
    private int _eventCounter;

    private BenchmarkEngine(ServiceProvider services)
    {
        Services = services;
        Engine = services.GetRequiredService<AutomationEngine>();
        Worker = services.GetRequiredService<DeliveryWorker>();
    }

    public ServiceProvider Services { get; }

    public AutomationEngine Engine { get; }

    public DeliveryWorker Worker { get; }

    /// <summary>Builds the engine; <paramref name="dispatcher"/> replaces the HTTP dispatcher when given.</summary>
    /// <param name="url">The integration's URL.</param>
    /// <param name="allowLoopback">Whether the endpoint policy allows loopback (a local receiver).</param>
    /// <param name="dispatcher">A dispatcher to use instead of the SSRF-guarded HTTP one.</param>
    /// <returns>The engine, ready to publish.</returns>
    public static async Task<BenchmarkEngine> CreateAsync(string url, bool allowLoopback, IWebhookDispatcher? dispatcher = null)
    {
        var services = new ServiceCollection();
        services.AddAutomations(o =>
        {
            o.MaxConcurrency = Concurrency;
            o.MaxConcurrencyPerEndpoint = Concurrency;
            o.RateLimitPerAutomation = null;
        }).AddTeamRoles(r => r.Grant("acme", "bench", TeamRole.Admin));
        services.AddAutomationsWebhookDispatcher(o =>
        {
            o.EndpointPolicy.AllowLoopback = allowLoopback;
            o.EndpointPolicy.AllowHttp = true;
        });
        if (dispatcher is not null)
        {
            services.RemoveAll<IWebhookDispatcher>();
            services.AddSingleton(dispatcher);
        }

        var provider = services.BuildServiceProvider();
        var actor = new AutomationActor("bench");
        await provider.GetRequiredService<SecretManager>().CreateAsync(actor, "acme", "WEBHOOK_SECRET", SigningSecret);
        var integration = await provider.GetRequiredService<WebhookIntegrationManager>().CreateAsync(
            actor, new WebhookIntegrationDefinition("acme", "receiver", url, "WEBHOOK_SECRET"));
        await provider.GetRequiredService<AutomationManager>().CreateAsync(actor, new AutomationDefinition(
            "dispatch",
            new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision")),
            new WebhookAction(integration.Id, PayloadTemplatePresets.GitHubRepositoryDispatchText)));
        return new BenchmarkEngine(provider);
    }

    /// <summary>
    /// A fresh LINK_ARTIFACT event in <c>acme/vision</c>, collection <c>dataset</c>, that the automation matches (a new
    /// event id each call, so publishing it is never a duplicate).
    /// </summary>
    /// <returns>The event.</returns>
    public ArtifactEvent NewEvent()
        => new("e" + Interlocked.Increment(ref _eventCounter), ArtifactEventType.LinkArtifact, s_container, "dataset", s_version, "alice", DateTimeOffset.UtcNow);

    /// <summary>The template variables of the events <see cref="NewEvent"/> makes (what the engine renders for them).</summary>
    /// <returns>A new context.</returns>
    public static TemplateContext NewTemplateContext() => new TemplateContext
    {
        EventType = "LINK_ARTIFACT",
        EventAuthor = "alice",
        ArtifactId = "101",
        ArtifactVersionString = "acme/vision/dataset:v1",
        ArtifactCollectionName = "dataset",
        ProjectName = "vision",
        EntityName = "acme",
    };

    /// <summary><paramref name="count"/> fresh events (<see cref="NewEvent"/>).</summary>
    /// <param name="count">How many.</param>
    /// <returns>The events.</returns>
    public ArtifactEvent[] NewEvents(int count)
    {
        var events = new ArtifactEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = NewEvent();
        }

        return events;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
