using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Automations.Core.Templates;

/// <summary>
/// W&amp;B's artifact reference: <c>wandb-artifact://_id/</c> followed by the base64 of <c>Artifact:&lt;id&gt;</c>
/// (UTF-8), for example <c>517889887</c> → <c>wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3</c>. An empty id
/// renders as an empty string. The renderer writes this format straight into the output without allocating.
/// </summary>
public sealed class WandbArtifactReferenceFormatter : IArtifactReferenceFormatter
{
    /// <summary>The scheme and path before the base64 part.</summary>
    public const string Prefix = "wandb-artifact://_id/";

    private const string IdPrefix = "Artifact:";
    private const int StackLimit = 256;

    private WandbArtifactReferenceFormatter()
    {
    }

    /// <summary>The one instance.</summary>
    public static WandbArtifactReferenceFormatter Instance { get; } = new();

    internal static ReadOnlySpan<byte> PrefixUtf8 => "wandb-artifact://_id/"u8;

    internal static ReadOnlySpan<byte> IdPrefixUtf8 => "Artifact:"u8;

    /// <inheritdoc />
    public string Format(string artifactId)
    {
        ArgumentNullException.ThrowIfNull(artifactId);
        if (artifactId.Length == 0)
        {
            return string.Empty;
        }

        return Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(IdPrefix + artifactId));
    }

    /// <summary>Upper bound of the bytes <see cref="Write"/> produces for an id.</summary>
    internal static int MaxByteCount(string artifactId)
        => artifactId.Length == 0 ? 0 : PrefixUtf8.Length + Base64.GetMaxEncodedToUtf8Length(IdPrefixUtf8.Length + (artifactId.Length * 3));

    /// <summary>Writes the reference as UTF-8 (it needs no JSON escaping) and returns the bytes written.</summary>
    internal static int Write(string artifactId, Span<byte> destination)
    {
        if (artifactId.Length == 0)
        {
            return 0;
        }

        var maxRaw = IdPrefixUtf8.Length + (artifactId.Length * 3);
        byte[]? rented = null;
        var raw = maxRaw <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxRaw));
        try
        {
            IdPrefixUtf8.CopyTo(raw);
            var rawLength = IdPrefixUtf8.Length + Encoding.UTF8.GetBytes(artifactId, raw[IdPrefixUtf8.Length..]);
            PrefixUtf8.CopyTo(destination);
            Base64.EncodeToUtf8(raw[..rawLength], destination[PrefixUtf8.Length..], out _, out var written);
            return PrefixUtf8.Length + written;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
