namespace Automations.Core.Templates;

/// <summary>What a placeholder stands for.</summary>
internal enum TemplateSlotKind : byte
{
    Invalid = 0,
    EventType,
    EventAuthor,
    ArtifactVersion,
    ArtifactVersionString,
    ArtifactCollectionName,
    ProjectName,
    EntityName,
    Alias,
    Tag,
    Metadata,
    Secret,
}

/// <summary>
/// One placeholder of a compiled template. It follows the literal segment with the same index; its value is
/// always written as JSON string content (the quotes around a placeholder that stood outside a string are part
/// of the neighbouring literal segments).
/// </summary>
/// <param name="Kind">What the placeholder stands for.</param>
/// <param name="Key">The metadata key or the secret name; <see langword="null"/> for a fixed variable.</param>
internal readonly record struct TemplateSlot(TemplateSlotKind Kind, string? Key);
