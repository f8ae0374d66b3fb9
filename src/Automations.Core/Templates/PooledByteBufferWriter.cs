using System.Buffers;

namespace Automations.Core.Templates;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>; dispose to return them.
/// The first array is rented at the first request's size. Before an array goes back to the pool, the bytes that
/// may have been written are cleared (a payload may hold secrets). Internal to the renderer, which never writes
/// past the size it asks for, so "may have been written" is the written count plus the largest request.
/// </summary>
internal sealed class PooledByteBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = [];
    private int _written;
    private int _handedOut; // end of the region the renderer may have written into
    private bool _disposed;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        _handedOut = Math.Max(_handedOut, _written + Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        _handedOut = Math.Max(_handedOut, _written + Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Return(_buffer, _handedOut);
        _buffer = [];
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var newSize = (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_written + needed));
        if (newSize - _written < needed)
        {
            throw new OutOfMemoryException("The rendered payload is too large.");
        }

        var bigger = ArrayPool<byte>.Shared.Rent(newSize);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        Return(_buffer, _handedOut);
        _buffer = bigger;
        _handedOut = _written;
    }

    private static void Return(byte[] buffer, int used)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        buffer.AsSpan(0, Math.Min(used, buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
