using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Engine;

/// <summary>What a user submits to create or update an automation.</summary>
/// <param name="Name">The name (unique in its scope, at most 255 characters).</param>
/// <param name="Trigger">When it fires.</param>
/// <param name="Action">What it does.</param>
/// <param name="Description">A description, or null.</param>
/// <param name="Enabled">Whether it fires.</param>
public sealed record AutomationDefinition(string Name, AutomationTrigger Trigger, AutomationAction Action, string? Description = null, bool Enabled = true);

/// <summary>One row of the Automations view (W&amp;B's table).</summary>
/// <param name="Id">The automation id.</param>
/// <param name="Name">The name.</param>
/// <param name="EventType">The trigger (event) type, e.g. <c>LINK_ARTIFACT</c>.</param>
/// <param name="ActionType">The action type, e.g. <c>GENERIC_WEBHOOK</c>.</param>
/// <param name="ActionName">The integration's or job's name.</param>
/// <param name="Queue">The launch queue; empty for webhooks.</param>
/// <param name="Enabled">Whether it fires.</param>
/// <param name="LastExecutionStatus">The newest history row's status, or null when it never ran.</param>
/// <param name="LastExecutionAt">The newest history row's time, or null.</param>
public sealed record AutomationSummary(
    string Id,
    string Name,
    string EventType,
    string ActionType,
    string ActionName,
    string Queue,
    bool Enabled,
    Domain.Deliveries.ExecutionStatus? LastExecutionStatus,
    DateTimeOffset? LastExecutionAt);
