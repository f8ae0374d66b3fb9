using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Automations.Core.Engine;

/// <summary>
/// The engine's ids (deliveries, history records, lease tokens, automations, integrations, secrets, jobs) without a
/// system call per id:
/// <see cref="Guid.NewGuid"/> and <see cref="Guid.CreateVersion7()"/> ask the kernel for 16 random bytes each time
/// (getrandom on Linux), which costs more than the rest of the id. Here each thread draws its randomness from the
/// system CSPRNG (<see cref="RandomNumberGenerator"/>) in blocks of <see cref="BlockSize"/> bytes, so ids stay
/// unpredictable and unique while a block serves 32 ids. Layouts follow RFC 9562 (version 4 random, version 7
/// time-ordered).
/// </summary>
internal static class IdGenerator
{
    /// <summary>How many random bytes a thread draws at a time.</summary>
    internal const int BlockSize = 512;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    /// <summary>A random (version 4) GUID.</summary>
    /// <returns>The GUID.</returns>
    public static Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        NextRandom(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A time-ordered (version 7) GUID: 48 bits of Unix milliseconds, then 74 random bits.</summary>
    /// <param name="now">The time to embed.</param>
    /// <returns>The GUID.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="now"/> is before the Unix epoch.</exception>
    public static Guid NewVersion7(DateTimeOffset now)
    {
        var milliseconds = now.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(now));
        Span<byte> bytes = stackalloc byte[16];
        NextRandom(bytes[6..]);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, milliseconds);
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// <paramref name="prefix"/> followed by a version 7 GUID in 32 lowercase hex digits (<c>dlv_0192…</c>), built in
    /// one allocation.
    /// </summary>
    /// <param name="prefix">The id's kind, such as <c>dlv_</c>.</param>
    /// <param name="now">The time to embed.</param>
    /// <returns>The id.</returns>
    public static string NewPrefixedVersion7(string prefix, DateTimeOffset now)
    {
        var guid = NewVersion7(now);
        return string.Create(prefix.Length + 32, (prefix, guid), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            state.guid.TryFormat(span[state.prefix.Length..], out _, "N");
        });
    }

    private static void NextRandom(Span<byte> destination)
    {
        var block = t_block;
        var used = t_used;
        if (block is null || used + destination.Length > BlockSize)
        {
            block ??= t_block = new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            used = 0;
        }

        var source = block.AsSpan(used, destination.Length);
        source.CopyTo(destination);
        source.Clear(); // a byte is handed out once
        t_used = used + destination.Length;
    }
}
