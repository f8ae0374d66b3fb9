using Automations.Core.Abstractions;
using Automations.Core.Domain;

namespace Automations.Core.Engine;

/// <summary>The permission checks shared by the management APIs.</summary>
internal static class AuthorizerExtensions
{
    /// <summary>Throws <see cref="AutomationAccessDeniedException"/> naming the permission when the actor lacks it.</summary>
    public static async Task DemandAsync(this IAutomationAuthorizer authorizer, AutomationActor actor, AutomationPermission permission, string entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await authorizer.IsAllowedAsync(actor, permission, entity, cancellationToken).ConfigureAwait(false))
        {
            throw new AutomationAccessDeniedException($"Permission {permission} is required.") { Permission = permission.ToString() };
        }
    }

    /// <summary>
    /// Checks access to an existing object of a team: a team the actor cannot even view is reported exactly like a
    /// missing object (so existence never leaks); otherwise a missing permission is named.
    /// </summary>
    public static async Task DemandOnExistingAsync(this IAutomationAuthorizer authorizer, AutomationActor actor, AutomationPermission permission, string entity, Func<Exception> notFound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await authorizer.IsAllowedAsync(actor, AutomationPermission.ViewAutomations, entity, cancellationToken).ConfigureAwait(false))
        {
            throw notFound();
        }

        await authorizer.DemandAsync(actor, permission, entity, cancellationToken).ConfigureAwait(false);
    }
}
