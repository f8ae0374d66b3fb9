// The sample custom action handler shown in docs/custom-actions.md (the text between the markers is checked to
// appear in the doc verbatim by CustomActionHandlerTests).
// <custom-action-handler>
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Tests.Engine;

/// <summary>The integrator's own service: an issue tracker client.</summary>
public interface ITicketTracker
{
    /// <summary>Opens a ticket and returns its id; the same idempotency key opens one ticket only.</summary>
    /// <exception cref="TicketTrackerUnavailableException">The tracker is down; try again later.</exception>
    Task<string> OpenTicketAsync(string project, string title, string priority, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>The tracker cannot be reached right now.</summary>
public sealed class TicketTrackerUnavailableException(string message) : Exception(message);

/// <summary>
/// Custom action kind <c>acme.ticket</c>: opens a ticket when an automation fires. Configuration:
/// <c>{"project": "ML", "priority": "low" | "normal" | "high"}</c> (priority optional, default normal).
/// </summary>
public sealed class TicketActionHandler(ITicketTracker tracker) : IActionHandler
{
    public const string KindName = "acme.ticket";

    private static readonly string[] Priorities = ["low", "normal", "high"];

    public string Kind => KindName;

    // Called when an automation is saved: report every problem; paths are relative to the action.
    public ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default)
    {
        if (action is not CustomAction { Configuration: var config })
        {
            problems.Add("kind", $"Expected a {KindName} custom action.");
            return ValueTask.CompletedTask;
        }

        if (!config.TryGetProperty("project", out var project) || project.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(project.GetString()))
        {
            problems.Add("configuration.project", "The tracker project is required (a non-empty string).");
        }

        if (config.TryGetProperty("priority", out var priority) && !(priority.ValueKind == JsonValueKind.String && Priorities.Contains(priority.GetString())))
        {
            problems.Add("configuration.priority", "Priority is one of: low, normal, high.");
        }

        return ValueTask.CompletedTask;
    }

    // One tracker: at most MaxConcurrencyPerEndpoint tickets are being opened at once.
    public string? GetConcurrencyKey(Delivery delivery) => "tracker";

    // One attempt. Ordinary failures are results: the engine retries RetryableFailure on its schedule.
    public async ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default)
    {
        var delivery = lease.Delivery;
        var config = ((CustomAction)delivery.Automation.Action).Configuration;
        var project = config.GetProperty("project").GetString()!;
        var priority = config.TryGetProperty("priority", out var p) ? p.GetString()! : "normal";
        var title = $"{delivery.Event.Type.ToWireName()}: {delivery.Event.ArtifactVersionString}";
        var target = "tracker:" + project;
        var request = JsonSerializer.Serialize(new { project, title, priority }); // kept in the history
        try
        {
            // The delivery id is stable across retries: the tracker's idempotency key.
            var ticket = await tracker.OpenTicketAsync(project, title, priority, delivery.Id, cancellationToken).ConfigureAwait(false);
            return ActionResult.Success(target) with { RequestBody = request, ResponseBody = ticket };
        }
        catch (TicketTrackerUnavailableException ex)
        {
            return ActionResult.Failure(ActionOutcome.RetryableFailure, ex.Message, target) with { RequestBody = request };
        }
    }
}
// </custom-action-handler>
