using System.Collections.ObjectModel;
using System.Text.Json;

namespace Automations.Core.Domain.Artifacts;

/// <summary>
/// One version of an artifact, as an event reports it: its id, artifact name, version string (<c>v3</c>),
/// aliases, tags and top-level metadata. Immutable; collections are copied on construction.
/// </summary>
public sealed class ArtifactVersion
{
    private static readonly ReadOnlyDictionary<string, JsonElement> EmptyMetadata = new(new Dictionary<string, JsonElement>(StringComparer.Ordinal));

    /// <summary>Creates a validated artifact version.</summary>
    /// <param name="id">The artifact's id in the host (rendered by <c>${artifact_version}</c> as a reference).</param>
    /// <param name="artifactName">The artifact (collection member) name, e.g. <c>my-dataset</c>.</param>
    /// <param name="version">The version string, e.g. <c>v3</c>.</param>
    /// <param name="aliases">The version's aliases (e.g. <c>latest</c>, <c>production</c>); may be null.</param>
    /// <param name="tags">The version's tags; may be null.</param>
    /// <param name="metadata">Top-level metadata keys and their JSON values; may be null.</param>
    /// <exception cref="AutomationValidationException">Any field is missing or malformed (all problems are listed).</exception>
    public ArtifactVersion(
        string id,
        string artifactName,
        string version,
        IEnumerable<string>? aliases = null,
        IEnumerable<string>? tags = null,
        IReadOnlyDictionary<string, JsonElement>? metadata = null)
    {
        var problems = new ValidationProblemCollector();
        Names.CheckText(problems, "id", id, "Artifact id", 256);
        Names.Check(problems, "artifactName", artifactName, "Artifact name");
        Names.CheckLabel(problems, "version", version, "Version");
        var aliasList = CopyLabels(problems, "aliases", aliases, "Alias");
        var tagList = CopyLabels(problems, "tags", tags, "Tag");
        var meta = CopyMetadata(problems, metadata);
        problems.ThrowIfInvalid();

        Id = id;
        ArtifactName = artifactName;
        Version = version;
        Aliases = aliasList;
        Tags = tagList;
        Metadata = meta;
    }

    /// <summary>The artifact's id in the host.</summary>
    public string Id { get; }

    /// <summary>The artifact name.</summary>
    public string ArtifactName { get; }

    /// <summary>The version string, e.g. <c>v3</c>.</summary>
    public string Version { get; }

    /// <summary>The version's aliases, without duplicates, in the order given.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The version's tags, without duplicates, in the order given.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Top-level metadata (each value a detached JSON element).</summary>
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; }

    /// <summary>Formats the version as <c>artifactName:version</c>.</summary>
    /// <returns>The formatted version.</returns>
    public override string ToString() => $"{ArtifactName}:{Version}";

    private static ReadOnlyCollection<string> CopyLabels(ValidationProblemCollector problems, string path, IEnumerable<string>? values, string what)
    {
        if (values is null)
        {
            return ReadOnlyCollection<string>.Empty;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var value in values)
        {
            if (Names.CheckLabel(problems, $"{path}[{i}]", value, what) && !list.Contains(value, StringComparer.Ordinal))
            {
                list.Add(value);
            }

            i++;
        }

        return list.AsReadOnly();
    }

    private static ReadOnlyDictionary<string, JsonElement> CopyMetadata(ValidationProblemCollector problems, IReadOnlyDictionary<string, JsonElement>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return EmptyMetadata;
        }

        var copy = new Dictionary<string, JsonElement>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key))
            {
                problems.Add("metadata", "Metadata keys must not be empty.");
                continue;
            }

            if (value.ValueKind == JsonValueKind.Undefined)
            {
                problems.Add($"metadata.{key}", "Metadata value is undefined.");
                continue;
            }

            copy[key] = value.Clone();
        }

        return copy.AsReadOnly();
    }
}
