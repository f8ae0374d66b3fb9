using System.Diagnostics;
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
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Automations.Core.Tests.Engine;

/// <summary>
/// An integrator's custom action kind (<see cref="TicketActionHandler"/>, the sample of docs/custom-actions.md)
/// registered through <c>AddAutomations().AddActionHandler&lt;T&gt;()</c>: validated when saved, executed by the
/// worker with the engine's retries, history and telemetry.
/// </summary>
public sealed class CustomActionHandlerTests : IDisposable
{
    private static readonly AutomationActor Actor = new("alice");
    private readonly ServiceProvider _services;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly ITicketTracker _tracker = Substitute.For<ITicketTracker>();

    public CustomActionHandlerTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(_tracker);

        // <custom-action-registration>
        services.AddAutomations(o => o.RetryJitter = 0)
            .AddActionHandler<TicketActionHandler>();
        // </custom-action-registration>

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _services.GrantAdmin("acme", Actor.UserName);
    }

    private AutomationManager Manager => _services.GetRequiredService<AutomationManager>();

    private static AutomationTrigger OnNewModel => new(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision"), collection: "classifier");

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Invalid_configuration_is_refused_at_save_with_every_problem_and_nothing_is_saved()
    {
        var action = new CustomAction(TicketActionHandler.KindName, JsonSerializer.SerializeToElement(new { priority = "urgent" }));

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => Manager.CreateAsync(Actor, new AutomationDefinition("ticket", OnNewModel, action)));

        Assert.Equal(["action.configuration.project", "action.configuration.priority"], ex.Problems.Select(p => p.Path));
        Assert.Empty((await Manager.ListAsync(Actor, "acme")).Items);
    }

    [Fact]
    public async Task A_kind_without_a_registered_handler_is_refused_at_save()
    {
        var action = new CustomAction("acme.pager", JsonSerializer.SerializeToElement(new { service = "ml" }));

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => Manager.CreateAsync(Actor, new AutomationDefinition("page", OnNewModel, action)));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("action.kind", problem.Path);
        Assert.Contains("acme.pager", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_handler_runs_with_the_engines_retries_history_list_view_and_telemetry()
    {
        _tracker.OpenTicketAsync(default!, default!, default!, default!, default)
            .ReturnsForAnyArgs(_ => throw new TicketTrackerUnavailableException("tracker is down for maintenance"), _ => Task.FromResult("TCK-42"));
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AutomationsTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if ((string?)a.GetTagItem("automations.action.kind") == TicketActionHandler.KindName)
                {
                    lock (spans)
                    {
                        spans.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // <custom-action-automation>
        var action = new CustomAction(
            TicketActionHandler.KindName,
            JsonSerializer.SerializeToElement(new { project = "ML", priority = "high" }),
            name: "Open ML ticket");
        var automation = await Manager.CreateAsync(Actor, new AutomationDefinition("Ticket for every new model", OnNewModel, action));
        // </custom-action-automation>

        var engine = _services.GetRequiredService<AutomationEngine>();
        var worker = _services.GetRequiredService<DeliveryWorker>();
        var deliveryId = Assert.Single((await engine.PublishAsync(Link("evt-1"))).DeliveryIds);

        Assert.Equal(1, await worker.RunOnceAsync());
        var failed = await Manager.GetHistoryAsync(Actor, automation.Id);
        Assert.Equal(ExecutionStatus.Failed, failed.Items[0].Status);
        Assert.Equal("tracker is down for maintenance", failed.Items[0].Error);

        _time.Advance(AutomationEngineOptions.DefaultRetrySchedule[1]);
        Assert.Equal(1, await worker.RunOnceAsync());

        var delivery = (await Manager.ListDeliveriesAsync(Actor, automation.Id)).Items.Single();
        Assert.Equal(deliveryId, delivery.Id);
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(2, delivery.Attempts);
        await _tracker.Received(2).OpenTicketAsync("ML", "LINK_ARTIFACT: acme/vision/classifier:v3", "high", deliveryId, Arg.Any<CancellationToken>());

        var history = (await Manager.GetHistoryAsync(Actor, automation.Id)).Items;
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Pending], history.Select(r => r.Status));
        Assert.Equal("TCK-42", history[0].ResponseBody);
        Assert.Equal("tracker:ML", history[0].Target);
        Assert.Equal("""{"project":"ML","title":"LINK_ARTIFACT: acme/vision/classifier:v3","priority":"high"}""", history[0].RequestBody);

        var row = Assert.Single((await Manager.ListAsync(Actor, "acme")).Items);
        Assert.Equal((TicketActionHandler.KindName, "Open ML ticket", string.Empty, ExecutionStatus.Succeeded), (row.ActionType, row.ActionName, row.Queue, row.LastExecutionStatus));

        lock (spans)
        {
            var attempts = spans.Where(s => (string?)s.GetTagItem("automations.delivery.id") == deliveryId).ToList();
            Assert.Equal([1, 2], attempts.Select(s => (int)s.GetTagItem("automations.attempt")!));
            Assert.Equal(["RetryableFailure", "Succeeded"], attempts.Select(s => (string?)s.GetTagItem("automations.outcome")));
        }
    }

    [Fact]
    public void Registering_the_handler_twice_is_harmless()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_tracker);
        services.AddAutomations().AddActionHandler<TicketActionHandler>().AddActionHandler<TicketActionHandler>();
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IActionHandler>(), h => h.Kind == TicketActionHandler.KindName);
        Assert.NotNull(provider.GetRequiredService<DeliveryWorker>());
    }

    [Fact]
    public void A_second_handler_for_a_kind_fails_when_the_worker_is_built()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_tracker);
        services.AddAutomations().AddActionHandler<TicketActionHandler>().AddActionHandler<AnotherTicketHandler>();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<DeliveryWorker>());
        Assert.Contains(TicketActionHandler.KindName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_docs_show_the_tested_code()
    {
        DocSnippets.AssertDocContains("docs/custom-actions.md", DocSnippets.Snippet("tests/Automations.Core.Tests/Engine/TicketActionHandler.cs", "custom-action-handler"));
        DocSnippets.AssertDocContains("docs/custom-actions.md", DocSnippets.Snippet("tests/Automations.Core.Tests/Engine/CustomActionHandlerTests.cs", "custom-action-registration"));
        DocSnippets.AssertDocContains("docs/custom-actions.md", DocSnippets.Snippet("tests/Automations.Core.Tests/Engine/CustomActionHandlerTests.cs", "custom-action-automation"));
    }

    private ArtifactEvent Link(string eventId)
        => new(eventId, ArtifactEventType.LinkArtifact, ArtifactContainer.Project("acme", "vision"), "classifier", new ArtifactVersion("517889887", "classifier", "v3"), "alice", _time.GetUtcNow());

    private sealed class AnotherTicketHandler : IActionHandler
    {
        public string Kind => TicketActionHandler.KindName;

        public ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public string? GetConcurrencyKey(Delivery delivery) => null;

        public ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default) => ValueTask.FromResult(ActionResult.Success());
    }
}
