namespace Automations.Core.Domain.Actions;

/// <summary>
/// What an automation does when it fires. The built-in kinds are <see cref="WebhookAction"/>,
/// <see cref="LaunchJobAction"/>, <see cref="NotificationAction"/> and <see cref="NoOpAction"/>; integrators add
/// their own through <see cref="CustomAction"/>. Every action is immutable and validated on construction.
/// </summary>
public abstract class AutomationAction
{
    private protected AutomationAction()
    {
    }

    /// <summary>The action kind, e.g. <c>GENERIC_WEBHOOK</c> (see <see cref="ActionKinds"/>) or a custom kind name.</summary>
    public abstract string Kind { get; }

    /// <summary>The name shown in the Automations view: the integration's or the job's.</summary>
    public abstract string ActionName { get; }

    /// <summary>The launch queue the action puts work on; null for actions that do not use a queue.</summary>
    public virtual string? Queue => null;

    /// <summary>Formats the action as <c>KIND name</c>; never includes payloads or secret values.</summary>
    /// <returns>The formatted action.</returns>
    public override string ToString() => Queue is null ? $"{Kind} {ActionName}" : $"{Kind} {ActionName} on {Queue}";
}
