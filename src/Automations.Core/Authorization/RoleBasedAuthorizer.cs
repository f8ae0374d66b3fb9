using Automations.Core.Abstractions;
using Microsoft.Extensions.Options;

namespace Automations.Core.Authorization;

/// <summary>
/// The default <see cref="IAutomationAuthorizer"/>: asks the host's <see cref="ITeamRoleProvider"/> for the actor's
/// role in the team and compares it with the role the permission needs (see <see cref="RequiredRole"/>). A user
/// with no role in a team is refused everything there, so teams are isolated from each other.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Permission</term><description>Least role</description></listheader>
/// <item><term><see cref="AutomationPermission.ViewAutomations"/></term><description>Member</description></item>
/// <item><term><see cref="AutomationPermission.ManageAutomations"/></term><description><see cref="TeamRoleOptions.ManageAutomations"/> (Admin by default)</description></item>
/// <item><term><see cref="AutomationPermission.ManageIntegrations"/></term><description>Admin</description></item>
/// <item><term><see cref="AutomationPermission.ManageSecrets"/></term><description>Admin</description></item>
/// </list>
/// </remarks>
public sealed class RoleBasedAuthorizer : IAutomationAuthorizer
{
    private readonly ITeamRoleProvider _roles;
    private readonly TeamRole _manageAutomations;

    /// <summary>Creates the authorizer.</summary>
    /// <param name="roles">Maps the host's users to team roles.</param>
    /// <param name="options">The options; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="roles"/> is null.</exception>
    public RoleBasedAuthorizer(ITeamRoleProvider roles, IOptions<TeamRoleOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        _roles = roles;
        _manageAutomations = options?.Value.ManageAutomations ?? TeamRole.Admin;
    }

    /// <summary>The least team role a permission needs.</summary>
    /// <param name="permission">The permission.</param>
    /// <returns>The role; an unknown permission needs more than any role (it is never granted).</returns>
    public TeamRole RequiredRole(AutomationPermission permission) => permission switch
    {
        AutomationPermission.ViewAutomations => TeamRole.Member,
        AutomationPermission.ManageAutomations => _manageAutomations,
        AutomationPermission.ManageIntegrations => TeamRole.Admin,
        AutomationPermission.ManageSecrets => TeamRole.Admin,
        _ => (TeamRole)int.MaxValue,
    };

    /// <inheritdoc />
    public async ValueTask<bool> IsAllowedAsync(AutomationActor actor, AutomationPermission permission, string entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrEmpty(entity) || string.IsNullOrEmpty(actor.UserName))
        {
            return false;
        }

        var role = await _roles.GetRoleAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        return Enum.IsDefined(role) && role != TeamRole.None && role >= RequiredRole(permission);
    }

    /// <summary>Describes the authorizer.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"{nameof(RoleBasedAuthorizer)} {{ ManageAutomations = {_manageAutomations} }}";
}
