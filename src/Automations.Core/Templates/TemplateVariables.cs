namespace Automations.Core.Templates;

/// <summary>
/// The variable names a payload template can use as <c>${name}</c>, and the rule for secret names.
/// </summary>
public static class TemplateVariables
{
    /// <summary><c>event_type</c>: the event that fired the automation, for example <c>LINK_ARTIFACT</c>.</summary>
    public const string EventType = "event_type";

    /// <summary><c>event_author</c>: the user who caused the event.</summary>
    public const string EventAuthor = "event_author";

    /// <summary><c>artifact_version</c>: a reference to the artifact version (by default <c>wandb-artifact://_id/&lt;base64&gt;</c>).</summary>
    public const string ArtifactVersion = "artifact_version";

    /// <summary><c>artifact_version_string</c>: <c>&lt;entity&gt;/&lt;project&gt;/&lt;artifact_name&gt;:&lt;alias&gt;</c>.</summary>
    public const string ArtifactVersionString = "artifact_version_string";

    /// <summary><c>artifact_collection_name</c>: the collection the artifact version is linked to.</summary>
    public const string ArtifactCollectionName = "artifact_collection_name";

    /// <summary><c>project_name</c>: the project that owns the change.</summary>
    public const string ProjectName = "project_name";

    /// <summary><c>entity_name</c>: the entity (team or user) that owns the change.</summary>
    public const string EntityName = "entity_name";

    /// <summary><c>alias</c>: the alias the event is about; empty when the event has none.</summary>
    public const string Alias = "alias";

    /// <summary><c>tag</c>: the tag the event is about; empty when the event has none.</summary>
    public const string Tag = "tag";

    /// <summary>The prefix of a metadata placeholder: <c>${artifact_metadata.&lt;KEY&gt;}</c> reads the top-level key <c>KEY</c>.</summary>
    public const string ArtifactMetadataPrefix = "artifact_metadata.";

    private static readonly string[] s_all =
    [
        EventType, EventAuthor, ArtifactVersion, ArtifactVersionString, ArtifactCollectionName,
        ProjectName, EntityName, Alias, Tag,
    ];

    /// <summary>Every fixed variable name (metadata placeholders and secrets are not listed).</summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(s_all);

    /// <summary>Whether <paramref name="name"/> is one of the fixed variables in <see cref="All"/> (exact, case-sensitive).</summary>
    /// <param name="name">A placeholder name.</param>
    /// <returns><see langword="true"/> for a known variable.</returns>
    public static bool IsVariable(string? name) => name is not null && Array.IndexOf(s_all, name) >= 0;

    /// <summary>
    /// Whether <paramref name="name"/> is a valid secret name: one or more ASCII letters, digits or underscores.
    /// </summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><see langword="true"/> for a valid secret name.</returns>
    public static bool IsValidSecretName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    internal static TemplateSlotKind KindOf(string name) => name switch
    {
        EventType => TemplateSlotKind.EventType,
        EventAuthor => TemplateSlotKind.EventAuthor,
        ArtifactVersion => TemplateSlotKind.ArtifactVersion,
        ArtifactVersionString => TemplateSlotKind.ArtifactVersionString,
        ArtifactCollectionName => TemplateSlotKind.ArtifactCollectionName,
        ProjectName => TemplateSlotKind.ProjectName,
        EntityName => TemplateSlotKind.EntityName,
        Alias => TemplateSlotKind.Alias,
        Tag => TemplateSlotKind.Tag,
        _ => TemplateSlotKind.Invalid,
    };
}
