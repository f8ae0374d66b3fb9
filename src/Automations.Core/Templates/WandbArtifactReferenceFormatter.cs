using System.Text;

namespace Automations.Core.Templates;

/// <summary>
/// W&amp;B's artifact reference: <c>wandb-artifact://_id/</c> followed by the base64 of <c>Artifact:&lt;id&gt;</c>
/// (UTF-8), for example <c>517889887</c> → <c>wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3</c>. An empty id
/// renders as an empty string. <see cref="TemplateContext"/> computes this reference once, when its
/// <see cref="TemplateContext.ArtifactId"/> is set, so rendering it is a plain copy.
/// </summary>
public sealed class WandbArtifactReferenceFormatter : IArtifactReferenceFormatter
{
    /// <summary>The scheme and path before the base64 part.</summary>
    public const string Prefix = "wandb-artifact://_id/";

    private WandbArtifactReferenceFormatter()
    {
    }

    /// <summary>The one instance.</summary>
    public static WandbArtifactReferenceFormatter Instance { get; } = new();

    /// <inheritdoc />
    public string Format(string artifactId)
    {
        ArgumentNullException.ThrowIfNull(artifactId);
        return artifactId.Length == 0 ? string.Empty : Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes("Artifact:" + artifactId));
    }

    /// <summary>The reference as UTF-8 bytes (ASCII only, so it needs no JSON escaping).</summary>
    internal static byte[] FormatUtf8(string artifactId)
        => artifactId.Length == 0 ? [] : Encoding.ASCII.GetBytes(Instance.Format(artifactId));
}
