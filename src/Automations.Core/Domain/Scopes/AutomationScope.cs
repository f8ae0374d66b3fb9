using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;

namespace Automations.Core.Domain.Scopes;

/// <summary>
/// The scope an automation belongs to. Only events inside the scope can trigger the automation; project and
/// registry scopes never see each other's events, and no scope sees another team's events. Immutable, validated,
/// with value equality.
/// </summary>
public sealed class AutomationScope : IEquatable<AutomationScope>
{
    private AutomationScope(AutomationScopeKind kind, string entity, ArtifactContainer? container, string? collection)
    {
        Kind = kind;
        Entity = entity;
        Container = container;
        Collection = collection;
    }

    /// <summary>What the scope is attached to.</summary>
    public AutomationScopeKind Kind { get; }

    /// <summary>The entity (team) that owns the scope.</summary>
    public string Entity { get; }

    /// <summary>The project or registry of a project, registry or collection scope; null for an entity scope.</summary>
    public ArtifactContainer? Container { get; }

    /// <summary>The collection of a collection scope; null otherwise.</summary>
    public string? Collection { get; }

    /// <summary>An entity (team) scope.</summary>
    /// <param name="entity">The entity name.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="AutomationValidationException">The name is missing or malformed.</exception>
    public static AutomationScope ForEntity(string entity)
    {
        var problems = new ValidationProblemCollector();
        Names.Check(problems, "entity", entity, "Entity name");
        problems.ThrowIfInvalid();
        return new AutomationScope(AutomationScopeKind.Entity, entity, null, null);
    }

    /// <summary>A project scope (W&amp;B's scope for artifact automations).</summary>
    /// <param name="entity">The entity (team) name.</param>
    /// <param name="project">The project name.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="AutomationValidationException">A name is missing or malformed.</exception>
    public static AutomationScope ForProject(string entity, string project)
        => new(AutomationScopeKind.Project, entity, ArtifactContainer.Project(entity, project), null);

    /// <summary>A registry scope.</summary>
    /// <param name="entity">The entity (team) name.</param>
    /// <param name="registry">The registry name.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="AutomationValidationException">A name is missing or malformed.</exception>
    public static AutomationScope ForRegistry(string entity, string registry)
        => new(AutomationScopeKind.Registry, entity, ArtifactContainer.Registry(entity, registry), null);

    /// <summary>A collection scope: one collection in a project or registry.</summary>
    /// <param name="container">The project or registry holding the collection.</param>
    /// <param name="collection">The collection name.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="AutomationValidationException">The container is missing or the collection name is malformed.</exception>
    public static AutomationScope ForCollection(ArtifactContainer container, string collection)
    {
        var problems = new ValidationProblemCollector();
        if (container is null)
        {
            problems.Add("container", "Container (project or registry) is required.");
        }

        Names.Check(problems, "collection", collection, "Collection name");
        problems.ThrowIfInvalid();
        return new AutomationScope(AutomationScopeKind.Collection, container!.Entity, container, collection);
    }

    /// <summary>Whether an event happened inside this scope.</summary>
    /// <param name="artifactEvent">The event.</param>
    /// <returns>True when the scope can see the event.</returns>
    public bool CanSee(ArtifactEvent artifactEvent)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        return Kind switch
        {
            AutomationScopeKind.Entity => string.Equals(Entity, artifactEvent.Entity, StringComparison.Ordinal),
            AutomationScopeKind.Project or AutomationScopeKind.Registry => Container!.Equals(artifactEvent.Container),
            AutomationScopeKind.Collection => Container!.Equals(artifactEvent.Container)
                                              && string.Equals(Collection, artifactEvent.Collection, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <inheritdoc />
    public bool Equals(AutomationScope? other)
        => other is not null && Kind == other.Kind
           && string.Equals(Entity, other.Entity, StringComparison.Ordinal)
           && Equals(Container, other.Container)
           && string.Equals(Collection, other.Collection, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AutomationScope);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Entity), Container, Collection is null ? 0 : StringComparer.Ordinal.GetHashCode(Collection));

    /// <summary>Formats the scope, e.g. <c>project:team/proj</c> or <c>collection:team/proj/dataset</c>.</summary>
    /// <returns>The formatted scope.</returns>
    public override string ToString() => Kind switch
    {
        AutomationScopeKind.Entity => $"entity:{Entity}",
        AutomationScopeKind.Project => $"project:{Container}",
        AutomationScopeKind.Registry => $"registry:{Container}",
        _ => $"collection:{Container}/{Collection}",
    };
}
