using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Automations.Core.Templates;

/// <summary>
/// W&amp;B's artifact reference: <c>wandb-artifact://_id/</c> followed by the base64 of <c>Artifact:&lt;id&gt;</c>
/// (UTF-8), for example <c>517889887</c> → <c>wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3</c>. An empty id
/// renders as an empty string. <see cref="PayloadTemplate"/> encodes it straight into the payload on each render
/// (no string is built), byte for byte what <see cref="Format"/> returns.
/// </summary>
public sealed class WandbArtifactReferenceFormatter : IArtifactReferenceFormatter
{
    /// <summary>The scheme and path before the base64 part.</summary>
    public const string Prefix = "wandb-artifact://_id/";

    /// <summary>
    /// <see cref="Prefix"/> and the base64 of <c>Artifact:</c> (9 bytes, so it ends on a base64 group boundary and the id's
    /// bytes are encoded on their own), padded to 64 bytes so it is copied as whole vectors.
    /// </summary>
    private static ReadOnlySpan<byte> PaddedHead => "wandb-artifact://_id/QXJ0aWZhY3Q6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"u8;

    /// <summary>Length of the fixed head: <see cref="Prefix"/> (21) + <c>QXJ0aWZhY3Q6</c> (12).</summary>
    private const int HeadLength = 33;

    /// <summary>Bytes <c>WriteUtf8</c> may write past its result (whole-vector copy of the head).</summary>
    internal const int WriteSlack = 64;

    private static ReadOnlySpan<byte> Alphabet => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8;

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

    /// <summary>
    /// Room <c>WriteUtf8</c> needs for an id of <paramref name="idLength"/> chars (the reference is at most
    /// 33 + 4 × length bytes; the rest is scratch for a non-ASCII id's UTF-8), not counting <see cref="WriteSlack"/>.
    /// </summary>
    internal static long MaxUtf8Bytes(int idLength) => idLength == 0 ? 0 : HeadLength + (7L * idLength);

    /// <summary>
    /// Writes the reference for <paramref name="artifactId"/> as UTF-8 (ASCII) at <paramref name="destination"/> and
    /// returns its length. The caller guarantees <see cref="MaxUtf8Bytes"/> + <see cref="WriteSlack"/> writable bytes;
    /// bytes past the result may be overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int WriteUtf8(string artifactId, ref byte destination)
    {
        var n = artifactId.Length;
        if (n == 0)
        {
            return 0;
        }

        CopyHead(ref destination);
        ref var src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(artifactId.AsSpan()));
        ref var body = ref Unsafe.Add(ref destination, HeadLength);
        return HeadLength + (TryEncodeAscii(ref src, n, ref body) ? ((n + 2) / 3) * 4 : EncodeUtf8(artifactId, ref body));
    }

    /// <summary>Writes the reference into a span of at least <see cref="MaxUtf8Bytes"/> + <see cref="WriteSlack"/> bytes.</summary>
    internal static int WriteUtf8(string artifactId, Span<byte> destination)
    {
        if (destination.Length < MaxUtf8Bytes(artifactId.Length) + WriteSlack)
        {
            throw new ArgumentException("The destination is smaller than the reference's worst case.", nameof(destination));
        }

        return WriteUtf8(artifactId, ref MemoryMarshal.GetReference(destination));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyHead(ref byte destination)
    {
        ref var head = ref MemoryMarshal.GetReference(PaddedHead);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512.LoadUnsafe(ref head).StoreUnsafe(ref destination);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256.LoadUnsafe(ref head).StoreUnsafe(ref destination);
            Vector256.LoadUnsafe(ref head, 32).StoreUnsafe(ref destination, 32);
        }
        else
        {
            PaddedHead.CopyTo(MemoryMarshal.CreateSpan(ref destination, PaddedHead.Length));
        }
    }

    /// <summary>
    /// Base64 of the id's chars taken as bytes, written as whole 4-char groups (the last one padded with <c>=</c>);
    /// <see langword="false"/> when a char is not ASCII (what was written is then garbage the caller overwrites).
    /// With SSSE3, 12 bytes at a time become 16 chars in a vector (Muła and Lemire's shuffle/multiply encoding);
    /// an id of 8 to 15 chars is read as its first and last 8 chars, overlapping, and the shuffle puts them in order.
    /// Only whole groups come from vectors; the rest (fewer than 3 groups) is encoded one group at a time.
    /// </summary>
    private static bool TryEncodeAscii(ref ushort src, int n, ref byte dst)
    {
        nint i = 0;
        nint o = 0;
        if (Ssse3.IsSupported && n >= 8)
        {
            for (; n - i >= 16; i += 12, o += 16)
            {
                var a = Vector128.LoadUnsafe(ref src, (nuint)i);
                var b = Vector128.LoadUnsafe(ref src, (nuint)(i + 8));
                if (((a | b) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
                {
                    return false;
                }

                EncodeBlock(Ssse3.Shuffle(Vector128.Narrow(a, b), BlockShuffle)).StoreUnsafe(ref dst, (nuint)o);
            }

            var r = (int)(n - i);
            if (r >= 8)
            {
                var a = Vector128.LoadUnsafe(ref src, (nuint)i);
                var b = Vector128.LoadUnsafe(ref src, (nuint)(n - 8));
                if (((a | b) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
                {
                    return false;
                }

                // Lane j >= 8 holds byte j - 16 + r: shift the shuffle's indices of bytes 8..11 accordingly.
                var shuffle = BlockShuffle;
                shuffle += Vector128.GreaterThan(shuffle, Vector128.Create((byte)7)) & Vector128.Create((byte)(16 - r));
                EncodeBlock(Ssse3.Shuffle(Vector128.Narrow(a, b), shuffle)).StoreUnsafe(ref dst, (nuint)o);
                var groups = Math.Min(r / 3, 4);
                i += groups * 3;
                o += groups * 4;
            }
        }

        ref var alphabet = ref MemoryMarshal.GetReference(Alphabet);
        uint any = 0;
        for (; i <= n - 3; i += 3, o += 4)
        {
            uint a = Unsafe.Add(ref src, i);
            uint b = Unsafe.Add(ref src, i + 1);
            uint c = Unsafe.Add(ref src, i + 2);
            any |= a | b | c;
            var v = (a << 16) | (b << 8) | c;
            var group = Unsafe.Add(ref alphabet, (nint)((v >> 18) & 0x3F))
                | ((uint)Unsafe.Add(ref alphabet, (nint)((v >> 12) & 0x3F)) << 8)
                | ((uint)Unsafe.Add(ref alphabet, (nint)((v >> 6) & 0x3F)) << 16)
                | ((uint)Unsafe.Add(ref alphabet, (nint)(v & 0x3F)) << 24);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, o), group);
        }

        var rest = n - i;
        if (rest != 0)
        {
            uint a = Unsafe.Add(ref src, i);
            var b = rest == 2 ? (uint)Unsafe.Add(ref src, i + 1) : 0u;
            any |= a | b;
            var v = (a << 16) | (b << 8);
            var group = Unsafe.Add(ref alphabet, (nint)((v >> 18) & 0x3F))
                | ((uint)Unsafe.Add(ref alphabet, (nint)((v >> 12) & 0x3F)) << 8)
                | ((rest == 2 ? (uint)Unsafe.Add(ref alphabet, (nint)((v >> 6) & 0x3F)) : '=') << 16)
                | ((uint)'=' << 24);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, o), group);
        }

        return any < 0x80;
    }

    /// <summary>Puts input bytes 0..11 in the order <see cref="EncodeBlock"/> wants: <c>b1 b0 b2 b1</c> per 3 bytes.</summary>
    private static Vector128<byte> BlockShuffle => Vector128.Create((byte)1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);

    /// <summary>
    /// Four 3-byte groups (each as <c>b1 b0 b2 b1</c> in a 32-bit lane) → 16 base64 chars: multiplies move the four
    /// 6-bit fields into their own bytes, then one shuffle of per-range offsets maps 0–63 onto the alphabet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EncodeBlock(Vector128<byte> input)
    {
        var t0 = input.AsUInt32() & Vector128.Create(0x0FC0FC00u);
        var t1 = Sse2.MultiplyHigh(t0.AsUInt16(), Vector128.Create(0x04000040u).AsUInt16());
        var t2 = input.AsUInt32() & Vector128.Create(0x003F03F0u);
        var t3 = Sse2.MultiplyLow(t2.AsUInt16(), Vector128.Create(0x01000010u).AsUInt16());
        var indices = (t1 | t3).AsByte();

        // 0–25 → 13 ('A' offset), 26–51 → 0 ('a' - 26), 52–61 → 1–10 ('0' - 52), 62 → 11 ('+'), 63 → 12 ('/').
        var reduced = Sse2.SubtractSaturate(indices, Vector128.Create((byte)51));
        reduced |= Vector128.GreaterThan(Vector128.Create((sbyte)26), indices.AsSByte()).AsByte() & Vector128.Create((byte)13);
        // Offsets modulo 256: 'a' - 26 = 71, '0' - 52 = -4, '+' - 62 = -19, '/' - 63 = -16, 'A' = 65.
        var offsets = Vector128.Create((byte)71, 252, 252, 252, 252, 252, 252, 252, 252, 252, 252, 237, 240, 65, 0, 0);
        return indices + Ssse3.Shuffle(offsets, reduced);
    }

    /// <summary>The general case: UTF-8 of the id (lone surrogates as U+FFFD, like <see cref="Encoding.UTF8"/>) then base64.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int EncodeUtf8(string artifactId, ref byte body)
    {
        // Scratch for the UTF-8 bytes sits after the longest possible base64 output (4 × length).
        var n = artifactId.Length;
        var scratch = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref body, 4 * n), 3 * n);
        var count = Encoding.UTF8.GetBytes(artifactId, scratch);
        Base64.EncodeToUtf8(scratch[..count], MemoryMarshal.CreateSpan(ref body, 4 * n), out _, out var written);
        return written;
    }
}
