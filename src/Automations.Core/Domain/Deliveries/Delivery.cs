using Automations.Core.Domain.Events;

namespace Automations.Core.Domain.Deliveries;

/// <summary>
/// One automation's action for one event. The id is stable across retries (receivers deduplicate on it), and the
/// automation is a snapshot taken when the delivery was planned: updating, disabling or deleting the automation
/// later does not change a delivery already planned.
/// </summary>
public sealed record Delivery
{
    /// <summary>The delivery id, stable across retries.</summary>
    public required string Id { get; init; }

    /// <summary>The event that caused the delivery.</summary>
    public required ArtifactEvent Event { get; init; }

    /// <summary>The automation as it was when the delivery was planned.</summary>
    public required Automation Automation { get; init; }

    /// <summary>Where the delivery stands.</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>Attempts started so far (counted when an attempt is claimed).</summary>
    public int Attempts { get; init; }

    /// <summary>When the delivery was planned.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the next attempt is due (meaningful while <see cref="Status"/> is pending).</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When the delivery reached a final status, or null.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The last error, or null (never contains secret values).</summary>
    public string? LastError { get; init; }

    /// <summary>The automation id (shortcut for <c>Automation.Id</c>).</summary>
    public string AutomationId => Automation.Id;

    /// <summary>Formats the delivery without payloads or secrets.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"delivery {Id} of {Automation.Name} for {Event.EventId}: {Status} after {Attempts} attempt(s)";
}
