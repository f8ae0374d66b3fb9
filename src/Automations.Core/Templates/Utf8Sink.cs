using System.Buffers;
using System.Runtime.CompilerServices;

namespace Automations.Core.Templates;

/// <summary>
/// Writes into an <see cref="IBufferWriter{T}"/> through one span at a time, so a render usually costs a single
/// <c>GetSpan</c>/<c>Advance</c> pair. Call <see cref="Commit"/> at the end.
/// </summary>
internal ref struct Utf8Sink
{
    private const int MinimumRequest = 256;

    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _position;

    public Utf8Sink(IBufferWriter<byte> writer, int sizeHint)
    {
        _writer = writer;
        _span = writer.GetSpan(Math.Max(sizeHint, MinimumRequest));
        _position = 0;
    }

    /// <summary>Returns free space of at least <paramref name="count"/> bytes; call <see cref="Advance"/> after writing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int count)
    {
        if (_span.Length - _position < count)
        {
            Grow(count);
        }

        return _span[_position..];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _position += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _position < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_position..]);
        _position += bytes.Length;
    }

    /// <summary>Hands the written bytes to the buffer writer.</summary>
    public void Commit()
    {
        if (_position > 0)
        {
            _writer.Advance(_position);
        }

        _position = 0;
        _span = default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        Commit();
        _span = _writer.GetSpan(Math.Max(count, MinimumRequest));
        if (_span.Length < count)
        {
            throw new InvalidOperationException("The buffer writer returned less space than requested.");
        }
    }
}
