namespace Automations.Core.Templates;

/// <summary>
/// Turns an artifact id into the text rendered for <c>${artifact_version}</c>. The default is
/// <see cref="WandbArtifactReferenceFormatter"/>; a host with its own reference scheme supplies another through
/// <see cref="PayloadTemplateOptions.ArtifactReferenceFormatter"/>.
/// </summary>
public interface IArtifactReferenceFormatter
{
    /// <summary>Formats the reference for an artifact id. The result is JSON-escaped when it is inserted.</summary>
    /// <param name="artifactId">The artifact id; never <see langword="null"/>, may be empty.</param>
    /// <returns>The reference text.</returns>
    string Format(string artifactId);
}
