namespace Automations.Core.Domain.Events;

/// <summary>The kinds of artifact event an automation can react to (W&amp;B's event types).</summary>
public enum ArtifactEventType
{
    /// <summary><c>LINK_ARTIFACT</c>: a new version of an artifact is created or linked in a collection.</summary>
    LinkArtifact = 1,

    /// <summary><c>ADD_ARTIFACT_ALIAS</c>: an alias is added to an artifact version.</summary>
    AddArtifactAlias = 2,

    /// <summary><c>CREATE_ARTIFACT</c>: an artifact version is created.</summary>
    CreateArtifact = 3,

    /// <summary><c>UNLINK_ARTIFACT</c>: an artifact version is unlinked from a collection.</summary>
    UnlinkArtifact = 4,

    /// <summary><c>ADD_ARTIFACT_TAG</c>: a tag is added to an artifact version.</summary>
    AddArtifactTag = 5,

    /// <summary><c>REMOVE_ARTIFACT_TAG</c>: a tag is removed from an artifact version.</summary>
    RemoveArtifactTag = 6,
}
