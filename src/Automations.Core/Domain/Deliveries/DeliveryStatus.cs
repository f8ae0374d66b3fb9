namespace Automations.Core.Domain.Deliveries;

/// <summary>Where a delivery (one automation's action for one event) stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (the first, or a retry after a failure).</summary>
    Pending = 0,

    /// <summary>The action succeeded (for a webhook: a 2xx response).</summary>
    Succeeded = 1,

    /// <summary>Every attempt failed or the failure was permanent; can be redelivered by hand.</summary>
    Dead = 2,

    /// <summary>Not attempted: the automation's rate limit suppressed it.</summary>
    Suppressed = 3,
}
