namespace Automations.Core.Domain.Artifacts;

/// <summary>
/// A project or registry inside an entity (team): the place artifact collections live. Immutable and validated;
/// two containers are equal when entity, kind and name are equal (names compare ordinally, as W&amp;B does).
/// </summary>
public sealed class ArtifactContainer : IEquatable<ArtifactContainer>
{
    /// <summary>Creates a validated container reference.</summary>
    /// <param name="entity">The entity (team) name.</param>
    /// <param name="name">The project or registry name.</param>
    /// <param name="kind">Whether this is a project or a registry.</param>
    /// <exception cref="AutomationValidationException">A name is missing or malformed, or the kind is unknown.</exception>
    public ArtifactContainer(string entity, string name, ArtifactContainerKind kind = ArtifactContainerKind.Project)
    {
        var problems = new ValidationProblemCollector();
        Validate(problems, string.Empty, entity, name, kind);
        problems.ThrowIfInvalid();
        Entity = entity;
        Name = name;
        Kind = kind;
    }

    /// <summary>The entity (team) the container belongs to.</summary>
    public string Entity { get; }

    /// <summary>The project or registry name.</summary>
    public string Name { get; }

    /// <summary>Whether this is a project or a registry.</summary>
    public ArtifactContainerKind Kind { get; }

    /// <summary>Creates a reference to a project.</summary>
    /// <param name="entity">The entity (team) name.</param>
    /// <param name="project">The project name.</param>
    /// <returns>The project container.</returns>
    public static ArtifactContainer Project(string entity, string project) => new(entity, project, ArtifactContainerKind.Project);

    /// <summary>Creates a reference to a registry.</summary>
    /// <param name="entity">The entity (team) name.</param>
    /// <param name="registry">The registry name.</param>
    /// <returns>The registry container.</returns>
    public static ArtifactContainer Registry(string entity, string registry) => new(entity, registry, ArtifactContainerKind.Registry);

    /// <inheritdoc />
    public bool Equals(ArtifactContainer? other)
        => other is not null && Kind == other.Kind
           && string.Equals(Entity, other.Entity, StringComparison.Ordinal)
           && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ArtifactContainer);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Entity), StringComparer.Ordinal.GetHashCode(Name));

    /// <summary>Formats the container as <c>entity/name</c>, or <c>entity/registry:name</c> for a registry.</summary>
    /// <returns>The formatted reference.</returns>
    public override string ToString() => Kind == ArtifactContainerKind.Registry ? $"{Entity}/registry:{Name}" : $"{Entity}/{Name}";

    internal static void Validate(ValidationProblemCollector problems, string path, string? entity, string? name, ArtifactContainerKind kind)
    {
        Names.Check(problems, ValidationProblemCollector.Combine(path, "entity"), entity, "Entity name");
        Names.Check(problems, ValidationProblemCollector.Combine(path, "name"), name, kind == ArtifactContainerKind.Registry ? "Registry name" : "Project name");
        if (!Enum.IsDefined(kind))
        {
            problems.Add(ValidationProblemCollector.Combine(path, "kind"), $"Unknown container kind {(int)kind}.");
        }
    }
}
