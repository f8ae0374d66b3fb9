namespace Automations.Core.Domain.Artifacts;

/// <summary>The kind of container that holds artifact collections.</summary>
public enum ArtifactContainerKind
{
    /// <summary>A W&amp;B project inside an entity (team).</summary>
    Project = 0,

    /// <summary>A W&amp;B registry: a project-like container of collections shared across a team.</summary>
    Registry = 1,
}
