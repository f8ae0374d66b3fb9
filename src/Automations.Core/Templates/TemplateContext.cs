using System.Collections.Frozen;
using System.Runtime.InteropServices;
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
    private const int SlotCount = (int)TemplateSlotKind.Tag + 1;

    /// <summary>The fixed variables' values, indexed by <see cref="TemplateSlotKind"/>.</summary>
    private readonly string[] _values = CreateValues();

    /// <summary>Rendered for <c>${event_type}</c>, for example <c>LINK_ARTIFACT</c> or <c>ADD_ARTIFACT_ALIAS</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string EventType
    {
        get => _values[(int)TemplateSlotKind.EventType];
        init => Set(TemplateSlotKind.EventType, NotNull(value));
    }

    /// <summary>Rendered for <c>${event_author}</c>: the user who caused the event.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string EventAuthor
    {
        get => _values[(int)TemplateSlotKind.EventAuthor];
        init => Set(TemplateSlotKind.EventAuthor, NotNull(value));
    }

    /// <summary>
    /// The artifact version's id; <c>${artifact_version}</c> renders it through
    /// <see cref="PayloadTemplateOptions.ArtifactReferenceFormatter"/> (by default
    /// <c>wandb-artifact://_id/</c> + base64 of <c>Artifact:&lt;id&gt;</c>, encoded by each render).
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ArtifactId
    {
        get => _values[(int)TemplateSlotKind.ArtifactVersion];
        init => Set(TemplateSlotKind.ArtifactVersion, NotNull(value));
    }

    /// <summary>Rendered for <c>${artifact_version_string}</c>: <c>&lt;entity&gt;/&lt;project&gt;/&lt;artifact_name&gt;:&lt;alias&gt;</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ArtifactVersionString
    {
        get => _values[(int)TemplateSlotKind.ArtifactVersionString];
        init => Set(TemplateSlotKind.ArtifactVersionString, NotNull(value));
    }

    /// <summary>Rendered for <c>${artifact_collection_name}</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ArtifactCollectionName
    {
        get => _values[(int)TemplateSlotKind.ArtifactCollectionName];
        init => Set(TemplateSlotKind.ArtifactCollectionName, NotNull(value));
    }

    /// <summary>Rendered for <c>${project_name}</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string ProjectName
    {
        get => _values[(int)TemplateSlotKind.ProjectName];
        init => Set(TemplateSlotKind.ProjectName, NotNull(value));
    }

    /// <summary>Rendered for <c>${entity_name}</c>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string EntityName
    {
        get => _values[(int)TemplateSlotKind.EntityName];
        init => Set(TemplateSlotKind.EntityName, NotNull(value));
    }

    /// <summary>Rendered for <c>${alias}</c>; empty when the event has no alias (setting <see langword="null"/> means empty).</summary>
    public string Alias
    {
        get => _values[(int)TemplateSlotKind.Alias];
        init => Set(TemplateSlotKind.Alias, value ?? string.Empty);
    }

    /// <summary>Rendered for <c>${tag}</c>; empty when the event has no tag (setting <see langword="null"/> means empty).</summary>
    public string Tag
    {
        get => _values[(int)TemplateSlotKind.Tag];
        init => Set(TemplateSlotKind.Tag, value ?? string.Empty);
    }

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

    /// <summary>The metadata, for lookups without an interface call.</summary>
    internal FrozenDictionary<string, JsonElement> Metadata { get; private init; } = FrozenDictionary<string, JsonElement>.Empty;

    /// <summary>
    /// The fixed variables' values indexed by <see cref="TemplateSlotKind"/> (index 0 unused; the
    /// <see cref="TemplateSlotKind.ArtifactVersion"/> entry is the artifact id), for the renderer's direct reads.
    /// </summary>
    internal string[] Values => _values;

    /// <summary>The value of a fixed variable (for <see cref="TemplateSlotKind.ArtifactVersion"/>: the artifact id).</summary>
    internal string this[TemplateSlotKind kind] => _values[(int)kind];

    /// <summary>Upper bound of the bytes <see cref="PayloadTemplate"/> writes for a metadata value.</summary>
    internal static long MaxEscapedBytes(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        return element.ValueKind == JsonValueKind.String
            ? (long)(raw.Length - 2) * JsonEscaper.MaxBytesPerRawStringByte
            : (long)raw.Length * JsonEscaper.MaxBytesPerUtf8Byte;
    }

    private static string[] CreateValues()
    {
        var values = new string[SlotCount];
        Array.Fill(values, string.Empty);
        return values;
    }

    private void Set(TemplateSlotKind kind, string value) => _values[(int)kind] = value;

    private static string NotNull(string value) => value ?? throw new ArgumentNullException(nameof(value));

    private static FrozenDictionary<string, JsonElement> CopyMetadata(IReadOnlyDictionary<string, JsonElement> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Count == 0)
        {
            return FrozenDictionary<string, JsonElement>.Empty;
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
