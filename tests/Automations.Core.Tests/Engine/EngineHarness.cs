using System.Collections.Concurrent;
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Storage.InMemory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Engine;

/// <summary>A programmable custom action handler that records every attempt.</summary>
internal sealed class ScriptedHandler : IActionHandler
{
    public const string KindName = "test.scripted";

    public ConcurrentQueue<Func<DeliveryLease, ValueTask<ActionResult>>> Script { get; } = new();

    public ConcurrentQueue<DeliveryLease> Attempts { get; } = new();

    public Func<DeliveryLease, ValueTask<ActionResult>> Default { get; set; } = _ => ValueTask.FromResult(ActionResult.Success("scripted"));

    public string? ConcurrencyKey { get; set; }

    public string Kind => KindName;

    public ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default)
    {
        if (action is CustomAction c && !c.Configuration.TryGetProperty("target", out _))
        {
            problems.Add("configuration.target", "A target is required.");
        }

        return ValueTask.CompletedTask;
    }

    public string? GetConcurrencyKey(Delivery delivery) => ConcurrencyKey;

    public ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default)
    {
        Attempts.Enqueue(lease);
        return Script.TryDequeue(out var step) ? step(lease) : Default(lease);
    }

    public void Then(ActionOutcome outcome, TimeSpan? retryAfter = null)
        => Script.Enqueue(_ => ValueTask.FromResult(outcome == ActionOutcome.Succeeded
            ? ActionResult.Success("scripted")
            : ActionResult.Failure(outcome, $"scripted {outcome}", "scripted") with { RetryAfter = retryAfter }));
}

/// <summary>An engine on in-memory stores, a fake clock and a scripted handler.</summary>
internal sealed class EngineHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private int _eventCounter;

    public EngineHarness(Action<AutomationEngineOptions>? configure = null, IAutomationAuthorizer? authorizer = null)
    {
        Options = new AutomationEngineOptions { RetryJitter = 0 };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        IActionHandler[] handlers = [Handler, new Automations.Core.Engine.Handlers.NoOpActionHandler(), new Automations.Core.Engine.Handlers.LaunchJobActionHandler(Queue)];
        Engine = new AutomationEngine(Automations, Deliveries, History, options, Time);
        Worker = new DeliveryWorker(Deliveries, History, handlers, options, Time);
        Roles.Grant("acme", Alice.UserName, TeamRole.Admin);
        Manager = new AutomationManager(Automations, Deliveries, History, authorizer ?? new RoleBasedAuthorizer(Roles), handlers, Time);
        Queue.CreateQueue("acme", "gpu");
    }

    public AutomationEngineOptions Options { get; }

    /// <summary>The role table of the default authorizer: alice is admin of acme.</summary>
    public InMemoryTeamRoleProvider Roles { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public InMemoryAutomationStore Automations { get; } = new();

    public InMemoryDeliveryStore Deliveries { get; } = new();

    public InMemoryExecutionHistoryStore History { get; } = new();

    public InMemoryLaunchQueue Queue { get; } = new();

    public ScriptedHandler Handler { get; } = new();

    public AutomationEngine Engine { get; }

    public DeliveryWorker Worker { get; }

    public AutomationManager Manager { get; }

    public AutomationActor Alice { get; } = new("alice");

    public static CustomAction ScriptedAction(string target = "t1")
        => new(ScriptedHandler.KindName, JsonSerializer.SerializeToElement(new { target }));

    public Task<Automation> CreateAsync(string name, AutomationTrigger trigger, AutomationAction? action = null)
        => Manager.CreateAsync(Alice, new AutomationDefinition(name, trigger, action ?? ScriptedAction()));

    public static AutomationTrigger OnLink(string project = "vision", string? collection = null, AutomationScope? scope = null)
        => new(ArtifactEventType.LinkArtifact, scope ?? AutomationScope.ForProject("acme", project), collection: collection);

    public ArtifactEvent Link(string project = "vision", string collection = "ds", string? eventId = null, ArtifactContainerKind kind = ArtifactContainerKind.Project)
        => new(
            eventId ?? $"evt-{Interlocked.Increment(ref _eventCounter)}",
            ArtifactEventType.LinkArtifact,
            new ArtifactContainer("acme", project, kind),
            collection,
            new ArtifactVersion("101", collection, "v1", ["latest"]),
            "alice",
            Time.GetUtcNow());

    public async Task<Delivery> DeliveryAsync(string id) => (await Deliveries.GetAsync(id))!;

    public async Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string automationId)
        => (await History.ListByAutomationAsync(automationId, new PageRequest(PageRequest.MaxPageSize))).Items;
}
