using System.Collections.Frozen;
using System.Text.Json;

namespace Automations.Core.Templates;

/// <summary>
/// The values a payload template is rendered with: one per event. Immutable; every text defaults to empty.
/// Build it once per event and render it into as many templates as the event triggers.
/// </summary>
/// <example>
/// <code>
/// var context = new TemplateContext
/// {
///     EventType = "LINK_ARTIFACT",
///     EventAuthor = "alice",
///     ArtifactId = "517889887",
///     ArtifactVersionString = "acme/vision/dataset:v3",
///     ArtifactCollectionName = "dataset",
///     ProjectName = "vision",
///     EntityName = "acme",
///     ArtifactMetadata = new Dictionary&lt;string, JsonElement&gt; { ["rows"] = JsonSerializer.SerializeToElement(1200) },
/// };
/// </code>
/// </example>
public sealed class TemplateContext
{
    private static readonly FrozenDictionary<string, JsonElement> s_noMetadata =
        FrozenDictionary<string, JsonElement>.Empty;

    /// <summary>Rendered for <c>${event_type}</c>, for example <c>LINK_ARTIFACT</c> or <c>ADD_ARTIFACT_ALIAS</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string EventType { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>Rendered for <c>${event_author}</c>: the user who caused the event.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string EventAuthor { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>
    /// The artifact version's id; <c>${artifact_version}</c> renders it through
    /// <see cref="PayloadTemplateOptions.ArtifactReferenceFormatter"/> (by default
    /// <c>wandb-artifact://_id/</c> + base64 of <c>Artifact:&lt;id&gt;</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ArtifactId { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>Rendered for <c>${artifact_version_string}</c>: <c>&lt;entity&gt;/&lt;project&gt;/&lt;artifact_name&gt;:&lt;alias&gt;</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ArtifactVersionString { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>Rendered for <c>${artifact_collection_name}</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ArtifactCollectionName { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>Rendered for <c>${project_name}</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ProjectName { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>Rendered for <c>${entity_name}</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string EntityName { get; init => field = NotNull(value); } = string.Empty;

    /// <summary>Rendered for <c>${alias}</c>; empty when the event has no alias (setting <see langword="null"/> means empty).</summary>
    public string Alias { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>Rendered for <c>${tag}</c>; empty when the event has no tag (setting <see langword="null"/> means empty).</summary>
    public string Tag { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>
    /// The artifact's top-level metadata, read by <c>${artifact_metadata.&lt;KEY&gt;}</c>. A string value is inserted as
    /// its text; any other value as its JSON text (<c>42</c>, <c>true</c>, <c>null</c>, <c>{"a":1}</c>); both are
    /// JSON-escaped. A missing key renders as an empty string. The elements are cloned when set, so the caller may
    /// dispose its <see cref="JsonDocument"/> afterwards.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value, or a key in it, is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is an undefined <see cref="JsonElement"/> (<c>default</c>).</exception>
    public IReadOnlyDictionary<string, JsonElement> ArtifactMetadata
    {
        get => Metadata;
        init => Metadata = CopyMetadata(value);
    }

    internal FrozenDictionary<string, JsonElement> Metadata { get; private init; } = s_noMetadata;

    internal string GetValue(TemplateSlotKind kind) => kind switch
    {
        TemplateSlotKind.EventType => EventType,
        TemplateSlotKind.EventAuthor => EventAuthor,
        TemplateSlotKind.ArtifactVersionString => ArtifactVersionString,
        TemplateSlotKind.ArtifactCollectionName => ArtifactCollectionName,
        TemplateSlotKind.ProjectName => ProjectName,
        TemplateSlotKind.EntityName => EntityName,
        TemplateSlotKind.Alias => Alias,
        TemplateSlotKind.Tag => Tag,
        _ => string.Empty,
    };

    private static string NotNull(string value) => value ?? throw new ArgumentNullException(nameof(value));

    private static FrozenDictionary<string, JsonElement> CopyMetadata(IReadOnlyDictionary<string, JsonElement> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Count == 0)
        {
            return s_noMetadata;
        }

        var copy = new Dictionary<string, JsonElement>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, element) in metadata)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(metadata));
            if (element.ValueKind == JsonValueKind.Undefined)
            {
                throw new ArgumentException($"Metadata key '{key}' has an undefined JsonElement.", nameof(metadata));
            }

            copy[key] = element.Clone();
        }

        return copy.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
