using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Scopes;

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
            throw Denied(permission);
        }
    }

    /// <summary>Throws <see cref="AutomationAccessDeniedException"/> naming the permission when the actor lacks it on the scope.</summary>
    public static async Task DemandOnScopeAsync(this IAutomationAuthorizer authorizer, AutomationActor actor, AutomationPermission permission, AutomationScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scope);
        if (!await authorizer.IsAllowedOnScopeAsync(actor, permission, scope, cancellationToken).ConfigureAwait(false))
        {
            throw Denied(permission);
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

    /// <summary>
    /// Checks access to an existing automation: a scope the actor cannot even view is reported exactly like a
    /// missing object (so existence never leaks); otherwise a missing permission is named.
    /// </summary>
    public static async Task DemandOnExistingAsync(this IAutomationAuthorizer authorizer, AutomationActor actor, AutomationPermission permission, AutomationScope scope, Func<Exception> notFound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scope);
        if (!await authorizer.IsAllowedOnScopeAsync(actor, AutomationPermission.ViewAutomations, scope, cancellationToken).ConfigureAwait(false))
        {
            throw notFound();
        }

        await authorizer.DemandOnScopeAsync(actor, permission, scope, cancellationToken).ConfigureAwait(false);
    }

    private static AutomationAccessDeniedException Denied(AutomationPermission permission)
        => new($"Permission {permission} is required.") { Permission = permission.ToString() };
}
