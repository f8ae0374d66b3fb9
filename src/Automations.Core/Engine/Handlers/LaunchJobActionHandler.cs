using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Engine.Handlers;

/// <summary>
/// Runs <see cref="LaunchJobAction"/>: puts the job on the host's <see cref="ILaunchQueue"/> with the delivery id as
/// idempotency key, so a retried delivery never enqueues twice.
/// </summary>
internal sealed class LaunchJobActionHandler(ILaunchQueue? queue) : IActionHandler
{
    public string Kind => ActionKinds.LaunchJob;

    public async ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default)
    {
        if (action is not LaunchJobAction launch)
        {
            problems.Add("kind", $"Expected a launch-job action, got {action.Kind}.");
            return;
        }

        if (queue is null)
        {
            problems.Add("queue", "No launch queue is configured in this host (AddLaunchQueue).");
            return;
        }

        if (!await queue.QueueExistsAsync(trigger.Scope.Entity, launch.QueueName, cancellationToken).ConfigureAwait(false))
        {
            problems.Add("queue", $"Launch queue '{launch.QueueName}' does not exist for team '{trigger.Scope.Entity}'.");
        }

        if (launch.DestinationProject is { } destination && !string.Equals(destination.Entity, trigger.Scope.Entity, StringComparison.Ordinal))
        {
            problems.Add("destinationProject", "The destination project must belong to the automation's team.");
        }
    }

    public string? GetConcurrencyKey(Delivery delivery) => delivery.Automation.Action.Queue is { } q ? "queue:" + q : null;

    public async ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var action = (LaunchJobAction)lease.Delivery.Automation.Action;
        var body = Describe(action);
        if (queue is null)
        {
            return ActionResult.Failure(ActionOutcome.Refused, "No launch queue is configured in this host.", action.QueueName) with { RequestBody = body };
        }

        try
        {
            var id = await queue.EnqueueAsync(new LaunchJobRequest(lease.Delivery.Id, action, lease.Delivery.Event), cancellationToken).ConfigureAwait(false);
            return ActionResult.Success(action.QueueName) with { RequestBody = body, ResponseBody = id };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return ActionResult.Failure(ActionOutcome.RetryableFailure, $"Enqueueing on '{action.QueueName}' failed: {ex.GetType().Name}.", action.QueueName) with { RequestBody = body };
        }
    }

    private static string Describe(LaunchJobAction action)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("job", action.Job);
            writer.WriteString("job_version", action.JobVersion);
            writer.WriteString("queue", action.QueueName);
            writer.WriteString("destination_project", action.DestinationProject?.ToString());
            if (action.Overrides is { } overrides)
            {
                writer.WritePropertyName("overrides");
                overrides.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
