namespace Automations.Core.Domain.Deliveries;

/// <summary>The status of one history row (one attempt, or a suppression).</summary>
public enum ExecutionStatus
{
    /// <summary>Planned, not attempted yet.</summary>
    Pending = 0,

    /// <summary>The attempt succeeded.</summary>
    Succeeded = 1,

    /// <summary>The attempt failed and will be retried.</summary>
    Failed = 2,

    /// <summary>The attempt failed and the delivery is dead (no more retries).</summary>
    Dead = 3,

    /// <summary>The automation's rate limit suppressed the delivery.</summary>
    Suppressed = 4,
}
