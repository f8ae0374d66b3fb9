using System.Diagnostics.CodeAnalysis;

namespace Automations.Core.Domain.Events;

/// <summary>Wire names of <see cref="ArtifactEventType"/> (as rendered into payloads by <c>${event_type}</c>).</summary>
public static class ArtifactEventTypes
{
    private static readonly ArtifactEventType[] All =
    [
        ArtifactEventType.LinkArtifact,
        ArtifactEventType.AddArtifactAlias,
        ArtifactEventType.CreateArtifact,
        ArtifactEventType.UnlinkArtifact,
        ArtifactEventType.AddArtifactTag,
        ArtifactEventType.RemoveArtifactTag,
    ];

    /// <summary>Every event type, in declaration order.</summary>
    public static IReadOnlyList<ArtifactEventType> Values => All;

    /// <summary>Returns W&amp;B's wire name, e.g. <c>LINK_ARTIFACT</c>.</summary>
    /// <param name="type">The event type.</param>
    /// <returns>The wire name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined event type.</exception>
    public static string ToWireName(this ArtifactEventType type) => type switch
    {
        ArtifactEventType.LinkArtifact => "LINK_ARTIFACT",
        ArtifactEventType.AddArtifactAlias => "ADD_ARTIFACT_ALIAS",
        ArtifactEventType.CreateArtifact => "CREATE_ARTIFACT",
        ArtifactEventType.UnlinkArtifact => "UNLINK_ARTIFACT",
        ArtifactEventType.AddArtifactTag => "ADD_ARTIFACT_TAG",
        ArtifactEventType.RemoveArtifactTag => "REMOVE_ARTIFACT_TAG",
        _ => throw new ArgumentOutOfRangeException(nameof(type), (int)type, "Unknown artifact event type."),
    };

    /// <summary>Parses a wire name (exact, upper case), e.g. <c>ADD_ARTIFACT_ALIAS</c>.</summary>
    /// <param name="wireName">The wire name.</param>
    /// <param name="type">The event type when the name is known.</param>
    /// <returns>Whether the name is a known event type.</returns>
    public static bool TryParse([NotNullWhen(true)] string? wireName, out ArtifactEventType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToWireName(), wireName, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Whether the event type concerns an alias (the event carries <see cref="ArtifactEvent.Alias"/>).</summary>
    /// <param name="type">The event type.</param>
    /// <returns>True for <c>ADD_ARTIFACT_ALIAS</c>.</returns>
    public static bool CarriesAlias(this ArtifactEventType type) => type == ArtifactEventType.AddArtifactAlias;

    /// <summary>Whether the event type concerns a tag (the event carries <see cref="ArtifactEvent.Tag"/>).</summary>
    /// <param name="type">The event type.</param>
    /// <returns>True for <c>ADD_ARTIFACT_TAG</c> and <c>REMOVE_ARTIFACT_TAG</c>.</returns>
    public static bool CarriesTag(this ArtifactEventType type) => type is ArtifactEventType.AddArtifactTag or ArtifactEventType.RemoveArtifactTag;
}
