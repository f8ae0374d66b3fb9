using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Abstractions;

/// <summary>
/// Runs one kind of action. The engine ships handlers for the built-in kinds; integrators register their own
/// (<c>AddActionHandler&lt;T&gt;()</c>) and get the same retries, history and telemetry.
/// </summary>
public interface IActionHandler
{
    /// <summary>The action kind handled, e.g. <c>GENERIC_WEBHOOK</c> or <c>acme.pagerduty</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Validates an action when an automation is saved, adding every problem found (paths relative to the action).
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="trigger">The trigger of the automation being saved (its event type and scope).</param>
    /// <param name="problems">Where to add problems.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when validation is done.</returns>
    ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default);

    /// <summary>
    /// A key naming the endpoint the action talks to (for example the webhook integration id), used to bound
    /// concurrency per endpoint; null for no per-endpoint bound. Not called when the per-endpoint limit is at least
    /// the overall one (it cannot bind then).
    /// </summary>
    /// <param name="delivery">The delivery.</param>
    /// <returns>The key, or null.</returns>
    string? GetConcurrencyKey(Delivery delivery);

    /// <summary>Runs one attempt. Ordinary failures are results, not exceptions.</summary>
    /// <param name="lease">The claimed delivery (its event, automation snapshot and attempt number).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>How the attempt ended.</returns>
    ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default);
}
