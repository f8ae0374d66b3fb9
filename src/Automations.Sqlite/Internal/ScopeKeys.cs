using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;

namespace Automations.Sqlite.Internal;

/// <summary>
/// The indexed key of an automation's scope. An event is seen by at most three keys (its entity, its project or
/// registry, and its collection), so finding candidates is one indexed lookup of three keys. Names cannot
/// contain ':' or '/', so keys never collide.
/// </summary>
internal static class ScopeKeys
{
    public static string For(AutomationScope scope) => scope.Kind switch
    {
        AutomationScopeKind.Entity => Entity(scope.Entity),
        AutomationScopeKind.Collection => Collection(scope.Container!, scope.Collection!),
        _ => Container(scope.Container!),
    };

    public static (string Entity, string Container, string Collection) For(ArtifactEvent artifactEvent)
        => (Entity(artifactEvent.Entity), Container(artifactEvent.Container), Collection(artifactEvent.Container, artifactEvent.Collection));

    private static string Entity(string entity) => "E:" + entity;

    private static string Container(ArtifactContainer c) => (c.Kind == ArtifactContainerKind.Registry ? "R:" : "P:") + c.Entity + "/" + c.Name;

    private static string Collection(ArtifactContainer c, string collection) => "C:" + Container(c) + "/" + collection;
}
