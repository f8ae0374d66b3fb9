using Automations.Core.Abstractions;

namespace Automations.Core.Engine;

/// <summary>The development default: every actor may do everything. Hosts replace it with their own authorizer.</summary>
internal sealed class AllowAllAuthorizer : IAutomationAuthorizer
{
    public ValueTask<bool> IsAllowedAsync(AutomationActor actor, AutomationPermission permission, string entity, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(true);
}
