using Automations.Core.Domain.Artifacts;

namespace Automations.Core.Domain.Events;

/// <summary>
/// Something that happened to an artifact version in a collection, published by the host. Immutable and validated.
/// </summary>
public sealed class ArtifactEvent
{
    /// <summary>Maximum length of <see cref="EventId"/>.</summary>
    public const int MaxEventIdLength = 256;

    /// <summary>Creates a validated event.</summary>
    /// <param name="eventId">The host's idempotency id: publishing the same id twice delivers once.</param>
    /// <param name="type">What happened.</param>
    /// <param name="container">The project or registry the collection lives in.</param>
    /// <param name="collection">The artifact collection name.</param>
    /// <param name="version">The artifact version concerned.</param>
    /// <param name="author">The user who caused the event (rendered by <c>${event_author}</c>).</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="alias">The alias added; required for <c>ADD_ARTIFACT_ALIAS</c>, must be null otherwise.</param>
    /// <param name="tag">The tag added or removed; required for tag events, must be null otherwise.</param>
    /// <exception cref="AutomationValidationException">Any field is missing or inconsistent (all problems are listed).</exception>
    public ArtifactEvent(
        string eventId,
        ArtifactEventType type,
        ArtifactContainer container,
        string collection,
        ArtifactVersion version,
        string author,
        DateTimeOffset occurredAt,
        string? alias = null,
        string? tag = null)
    {
        var problems = new ValidationProblemCollector();
        Names.CheckText(problems, "eventId", eventId, "Event id", MaxEventIdLength);
        if (!Enum.IsDefined(type))
        {
            problems.Add("type", $"Unknown event type {(int)type}.");
        }

        if (container is null)
        {
            problems.Add("container", "Container (project or registry) is required.");
        }

        Names.Check(problems, "collection", collection, "Collection name");
        if (version is null)
        {
            problems.Add("version", "Artifact version is required.");
        }

        Names.CheckText(problems, "author", author, "Author", 256);

        if (type.CarriesAlias())
        {
            Names.CheckLabel(problems, "alias", alias, "Alias");
        }
        else if (alias is not null)
        {
            problems.Add("alias", $"Only ADD_ARTIFACT_ALIAS events carry an alias.");
        }

        if (type.CarriesTag())
        {
            Names.CheckLabel(problems, "tag", tag, "Tag");
        }
        else if (tag is not null)
        {
            problems.Add("tag", "Only tag events carry a tag.");
        }

        problems.ThrowIfInvalid();

        EventId = eventId;
        Type = type;
        Container = container!;
        Collection = collection;
        Version = version!;
        Author = author;
        OccurredAt = occurredAt;
        Alias = alias;
        Tag = tag;
    }

    /// <summary>The host's idempotency id.</summary>
    public string EventId { get; }

    /// <summary>What happened.</summary>
    public ArtifactEventType Type { get; }

    /// <summary>The project or registry the collection lives in.</summary>
    public ArtifactContainer Container { get; }

    /// <summary>The entity (team) of the container.</summary>
    public string Entity => Container.Entity;

    /// <summary>The artifact collection name.</summary>
    public string Collection { get; }

    /// <summary>The artifact version concerned.</summary>
    public ArtifactVersion Version { get; }

    /// <summary>The user who caused the event.</summary>
    public string Author { get; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>The alias added (for <c>ADD_ARTIFACT_ALIAS</c>), otherwise null.</summary>
    public string? Alias { get; }

    /// <summary>The tag added or removed (for tag events), otherwise null.</summary>
    public string? Tag { get; }

    /// <summary>
    /// W&amp;B's version string <c>&lt;entity&gt;/&lt;project&gt;/&lt;artifact_name&gt;:&lt;alias&gt;</c>: the alias
    /// concerned when the event has one, else the version string (<c>v3</c>).
    /// </summary>
    public string ArtifactVersionString => string.Concat([Container.Entity, "/", Container.Name, "/", Version.ArtifactName, ":", Alias ?? Version.Version]);

    /// <summary>Formats the event without any metadata values: <c>TYPE entity/project/collection artifact:version (id)</c>.</summary>
    /// <returns>A short description for logs.</returns>
    public override string ToString() => $"{Type.ToWireName()} {Container}/{Collection} {Version} ({EventId})";
}
