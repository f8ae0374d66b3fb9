using Automations.Core.Domain.Scopes;

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

    /// <summary>Create, replace, rename, delete and list team secrets (team admins, in W&amp;B); values are never readable.</summary>
    ManageSecrets = 3,
}

/// <summary>
/// The authorization seam: whether an actor holds a permission on a team. The default implementation,
/// <c>RoleBasedAuthorizer</c>, maps the actor to a <see cref="TeamRole"/> through <see cref="ITeamRoleProvider"/>
/// (members view, admins manage); hosts with another model register their own with
/// <c>AddAuthorizer&lt;T&gt;()</c>. An actor with no role in a team must be refused everything there.
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

    /// <summary>
    /// Whether the actor holds the permission on one scope of a team (a project, registry or collection). Asked
    /// when automations are created, changed or read, so a host can grant per project. The default implementation
    /// asks <see cref="IsAllowedAsync"/> for the scope's team.
    /// </summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="permission">What they want to do.</param>
    /// <param name="scope">The automation's scope.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when allowed.</returns>
    ValueTask<bool> IsAllowedOnScopeAsync(AutomationActor actor, AutomationPermission permission, AutomationScope scope, CancellationToken cancellationToken = default)
        => IsAllowedAsync(actor, permission, (scope ?? throw new ArgumentNullException(nameof(scope))).Entity, cancellationToken);
}
