namespace Automations.Core.Abstractions;

/// <summary>The user acting on the management API, as the host identifies them.</summary>
/// <param name="UserName">The user's name (recorded as the author of changes).</param>
public sealed record AutomationActor(string UserName)
{
    /// <summary>Formats the actor as its user name.</summary>
    /// <returns>The user name.</returns>
    public override string ToString() => UserName;
}

/// <summary>What an actor may be allowed to do on a team's automations.</summary>
public enum AutomationPermission
{
    /// <summary>List and read automations, their deliveries and history.</summary>
    ViewAutomations = 0,

    /// <summary>Create, update, enable/disable and delete automations; redeliver dead deliveries.</summary>
    ManageAutomations = 1,

    /// <summary>Create, update and delete webhook integrations (team admins, in W&amp;B).</summary>
    ManageIntegrations = 2,

    /// <summary>Create, replace and delete team secrets (team admins, in W&amp;B).</summary>
    ManageSecrets = 3,
}

/// <summary>
/// The host's authorization seam: maps the host's identity to permissions on a team. The default implementation
/// allows everything (development only); hosts register their own with <c>AddAuthorizer&lt;T&gt;()</c>.
/// </summary>
public interface IAutomationAuthorizer
{
    /// <summary>Whether the actor holds the permission on the team.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="permission">What they want to do.</param>
    /// <param name="entity">The entity (team) the object belongs to.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when allowed.</returns>
    ValueTask<bool> IsAllowedAsync(AutomationActor actor, AutomationPermission permission, string entity, CancellationToken cancellationToken = default);
}
