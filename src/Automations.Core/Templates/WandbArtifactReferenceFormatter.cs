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
    /// bytes are encoded on their own), padded so it can be read as whole vectors.
    /// </summary>
    private static ReadOnlySpan<byte> PaddedHead => "wandb-artifact://_id/QXJ0aWZhY3Q6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"u8;

    /// <summary>Length of the fixed head: <see cref="Prefix"/> (21) + <c>QXJ0aWZhY3Q6</c> (12).</summary>
    private const int HeadLength = 33;

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
    /// 33 + 4 × length bytes; the rest is scratch for a non-ASCII id's UTF-8). Nothing is written past it.
    /// </summary>
    internal static long MaxUtf8Bytes(int idLength) => idLength == 0 ? 0 : HeadLength + (7L * idLength);

    /// <summary>
    /// Writes the reference for <paramref name="artifactId"/> as UTF-8 (ASCII) at <paramref name="destination"/> and
    /// returns its length. The caller guarantees <see cref="MaxUtf8Bytes"/> writable bytes;
    /// bytes between the result and that bound may be overwritten.
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

    /// <summary>Writes the reference into a span of at least <see cref="MaxUtf8Bytes"/> bytes.</summary>
    internal static int WriteUtf8(string artifactId, Span<byte> destination)
    {
        if (destination.Length < MaxUtf8Bytes(artifactId.Length))
        {
            throw new ArgumentException("The destination is smaller than the reference's worst case.", nameof(destination));
        }

        return WriteUtf8(artifactId, ref MemoryMarshal.GetReference(destination));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyHead(ref byte destination)
    {
        // 33 bytes as two overlapping vectors (0..31 and 17..32): nothing written past the head.
        ref var head = ref MemoryMarshal.GetReference(PaddedHead);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256.LoadUnsafe(ref head).StoreUnsafe(ref destination);
        }
        else
        {
            Vector128.LoadUnsafe(ref head).StoreUnsafe(ref destination);
            Vector128.LoadUnsafe(ref head, 16).StoreUnsafe(ref destination, 16);
        }

        Vector128.LoadUnsafe(ref head, HeadLength - 16).StoreUnsafe(ref destination, HeadLength - 16);
    }

    /// <summary>
    /// Base64 of the id's chars taken as bytes (the last group padded with <c>=</c>); <see langword="false"/> when a
    /// char is not ASCII (what was written is then garbage the caller overwrites). With AVX2, Muła and Lemire's
    /// shuffle/multiply encoding: 12 bytes → 16 chars per 128-bit lane. An id of 8 to 24 chars (W&amp;B's ids are
    /// 9–13 digits) is done in one 256-bit step with no loop and no scalar tail: its chars are read as two
    /// overlapping halves, a per-length shuffle (<see cref="s_finalShuffles"/>) puts bytes 0–11 in the low lane and
    /// 12–23 in the high lane (zeros past the end), and chars past the data become <c>=</c>. Longer ids first take
    /// 12-byte blocks; shorter ones, and machines without AVX2, use <see cref="TryEncodeAsciiScalar"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryEncodeAscii(ref ushort src, int n, ref byte dst)
    {
        if (!Avx2.IsSupported || n < 8)
        {
            return TryEncodeAsciiScalar(ref src, n, ref dst);
        }

        nint i = 0;
        nint o = 0;
        for (; n - i > 24; i += 12, o += 16)
        {
            var a = Vector128.LoadUnsafe(ref src, (nuint)i);
            var b = Vector128.LoadUnsafe(ref src, (nuint)(i + 8));
            if (((a | b) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
            {
                return false;
            }

            EncodeBlock(Ssse3.Shuffle(Vector128.Narrow(a, b), BlockShuffle)).StoreUnsafe(ref dst, (nuint)o);
        }

        // The last 8 to 24 chars.
        var r = (int)(n - i);
        ref var rest = ref Unsafe.Add(ref src, i);
        Vector256<byte> bytes;
        if (r < 16)
        {
            // Chars 0..7 and r-8..r-1 (overlapping), in both lanes.
            var a = Vector128.LoadUnsafe(ref rest);
            var b = Vector128.LoadUnsafe(ref rest, (nuint)(r - 8));
            if (((a | b) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
            {
                return false;
            }

            var both = Vector128.Narrow(a, b);
            bytes = Vector256.Create(both, both);
        }
        else
        {
            // Chars 0..15 in the low lane, r-16..r-1 in the high lane.
            var a = Vector256.LoadUnsafe(ref rest);
            var b = Vector256.LoadUnsafe(ref rest, (nuint)(r - 16));
            if (((a | b) & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero)
            {
                return false;
            }

            bytes = Vector256.Narrow(a, b);
        }

        var shuffle = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(s_finalShuffles), (nuint)((r - 8) * 32));
        var chars = EncodeBlock(Avx2.Shuffle(bytes, shuffle));
        var padding = Vector256.GreaterThanOrEqual(Iota, Vector256.Create((byte)(((4 * r) + 2) / 3)));
        Vector256.ConditionalSelect(padding, Vector256.Create((byte)'='), chars).StoreUnsafe(ref dst, (nuint)o);
        return true;
    }

    /// <summary>
    /// For each final length 8..24, the 32-byte <c>vpshufb</c> control of <see cref="TryEncodeAscii"/>: output lane
    /// <c>L</c>, position <c>k</c> takes data byte <c>12L + </c><see cref="BlockShuffle"/><c>[k]</c> from where the loads put
    /// it, or zero (0x80) past the end of the data.
    /// </summary>
    private static readonly byte[] s_finalShuffles = BuildFinalShuffles();

    /// <summary>0, 1, …, 31: each output char's position.</summary>
    private static Vector256<byte> Iota
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
    }

    private static byte[] BuildFinalShuffles()
    {
        ReadOnlySpan<byte> order = [1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10];
        var table = new byte[17 * 32];
        for (var r = 8; r <= 24; r++)
        {
            for (var lane = 0; lane < 2; lane++)
            {
                for (var k = 0; k < 16; k++)
                {
                    var j = (12 * lane) + order[k];
                    int at;
                    if (j >= r)
                    {
                        at = 0x80;
                    }
                    else if (r < 16)
                    {
                        at = j < 8 ? j : j + 16 - r;
                    }
                    else
                    {
                        at = lane == 0 ? j : j - (r - 16);
                    }

                    table[((r - 8) * 32) + (lane * 16) + k] = (byte)at;
                }
            }
        }

        return table;
    }

    /// <summary>
    /// <see cref="TryEncodeAscii"/> one 3-char group at a time (short ids, and machines without AVX2).
    /// </summary>
    internal static bool TryEncodeAsciiScalar(ref ushort src, int n, ref byte dst)
    {
        ref var alphabet = ref MemoryMarshal.GetReference(Alphabet);
        uint any = 0;
        nint i = 0;
        nint o = 0;
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

    /// <summary>Puts input bytes 0..11 in the order <see cref="EncodeBlock(Vector128{byte})"/> wants: <c>b1 b0 b2 b1</c> per 3 bytes.</summary>
    private static Vector128<byte> BlockShuffle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create((byte)1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    }

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
        return indices + Ssse3.Shuffle(Offsets128, reduced);
    }

    /// <summary>The 256-bit form of <see cref="EncodeBlock(Vector128{byte})"/>: eight groups, four per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> EncodeBlock(Vector256<byte> input)
    {
        var t0 = input.AsUInt32() & Vector256.Create(0x0FC0FC00u);
        var t1 = Avx2.MultiplyHigh(t0.AsUInt16(), Vector256.Create(0x04000040u).AsUInt16());
        var t2 = input.AsUInt32() & Vector256.Create(0x003F03F0u);
        var t3 = Avx2.MultiplyLow(t2.AsUInt16(), Vector256.Create(0x01000010u).AsUInt16());
        var indices = (t1 | t3).AsByte();
        var reduced = Avx2.SubtractSaturate(indices, Vector256.Create((byte)51));
        reduced |= Vector256.GreaterThan(Vector256.Create((sbyte)26), indices.AsSByte()).AsByte() & Vector256.Create((byte)13);
        return indices + Avx2.Shuffle(Vector256.Create(Offsets128, Offsets128), reduced);
    }

    /// <summary>
    /// Per-range offsets onto the alphabet, modulo 256: 'a' - 26 = 71, '0' - 52 = -4, '+' - 62 = -19, '/' - 63 = -16, 'A' = 65.
    /// </summary>
    private static Vector128<byte> Offsets128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create((byte)71, 252, 252, 252, 252, 252, 252, 252, 252, 252, 252, 237, 240, 65, 0, 0);
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
