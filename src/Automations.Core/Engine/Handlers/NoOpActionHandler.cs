using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Engine.Handlers;

/// <summary>Runs <see cref="NoOpAction"/>: succeeds at once; the execution is still recorded.</summary>
internal sealed class NoOpActionHandler : IActionHandler
{
    public string Kind => ActionKinds.NoOp;

    public ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default)
        => ValueTask.CompletedTask;

    public string? GetConcurrencyKey(Delivery delivery) => null;

    public ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ActionResult.Success("no-op"));
}
