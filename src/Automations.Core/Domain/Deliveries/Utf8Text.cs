using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Automations.Core.Domain.Deliveries;

/// <summary>
/// Text kept as UTF-8 bytes: recorded request bodies are JSON, mostly ASCII, so this halves what a history row
/// holds in memory next to a <see cref="string"/> (UTF-16). Decoded on each read; compared by content. Text that is
/// not valid UTF-16 (a lone surrogate) is kept as given, so a round trip never alters it.
/// </summary>
internal sealed class Utf8Text : IEquatable<Utf8Text>
{
    private readonly byte[]? _utf8;
    private readonly string? _text;

    private Utf8Text(byte[]? utf8, string? text)
    {
        _utf8 = utf8;
        _text = text;
    }

    /// <summary>The text of <paramref name="text"/>, or null for null.</summary>
    public static Utf8Text? From(string? text)
    {
        if (text is null)
        {
            return null;
        }

        // A lone surrogate counts as a replacement character here, then fails the strict conversion below.
        var utf8 = new byte[Encoding.UTF8.GetByteCount(text)];
        return Utf8.FromUtf16(text, utf8, out _, out _, replaceInvalidSequences: false) == OperationStatus.Done
            ? new Utf8Text(utf8, null)
            : new Utf8Text(null, text);
    }

    /// <summary>A copy of UTF-8 bytes known to be valid (the engine's rendered JSON).</summary>
    public static Utf8Text FromUtf8(ReadOnlySpan<byte> utf8) => new(utf8.ToArray(), null);

    /// <summary>The text.</summary>
    public override string ToString() => _text ?? Encoding.UTF8.GetString(_utf8!);

    /// <inheritdoc />
    public bool Equals(Utf8Text? other)
    {
        if (other is null)
        {
            return false;
        }

        if (_utf8 is not null && other._utf8 is not null)
        {
            return _utf8.AsSpan().SequenceEqual(other._utf8);
        }

        return string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Utf8Text);

    /// <inheritdoc />
    public override int GetHashCode() => string.GetHashCode(ToString(), StringComparison.Ordinal);
}
