using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Automations.Core.Templates;

/// <summary>
/// Writes values as JSON string content in UTF-8: <c>"</c> and <c>\</c> escaped; U+0000–U+001F as
/// <c>\b \t \n \f \r</c> or <c>\u00XX</c> (upper-case hex); U+2028/U+2029 as <c>\u2028</c>/<c>\u2029</c>; a lone
/// surrogate as U+FFFD; everything else (incl. <c>/ &lt; &gt; &amp; '</c>, DEL and all non-ASCII) as raw UTF-8.
/// Callers reserve room first: the methods write without bounds checks beyond the span's own.
/// </summary>
internal static class JsonEscaper
{
    /// <summary>Most bytes one UTF-16 char turns into (<c>\u001F</c>).</summary>
    public const int MaxBytesPerChar = 6;

    /// <summary>Most bytes one UTF-8 byte of JSON text turns into when escaped as string content.</summary>
    public const int MaxBytesPerUtf8Byte = 6;

    /// <summary>Most bytes one byte of raw JSON string content turns into when canonicalised.</summary>
    public const int MaxBytesPerRawStringByte = 2;

    private static readonly SearchValues<byte> s_utf8Specials = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', (byte)0xE2]);

    private static readonly SearchValues<byte> s_rawStringSpecials = SearchValues.Create([(byte)'\\', (byte)0xE2]);

    private static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;

    /// <summary>
    /// Escapes UTF-16 text into <paramref name="destination"/>, which must hold
    /// <c>source.Length * <see cref="MaxBytesPerChar"/></c> bytes. Returns the bytes written.
    /// </summary>
    public static int EscapeUtf16(ReadOnlySpan<char> source, Span<byte> destination)
    {
        if ((long)destination.Length < (long)source.Length * MaxBytesPerChar)
        {
            ThrowDestinationTooSmall();
        }

        ref var src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var n = source.Length;

        // Fast path: the value is (or starts with) plain ASCII, copied one byte per char.
        var i = n >= 8 && Vector128.IsHardwareAccelerated ? CopyPlainAscii(ref src, ref dst, n) : 0;
        if (i == n)
        {
            return n;
        }

        var o = i;

        while (i < n)
        {
            if (Vector128.IsHardwareAccelerated)
            {
                while (n - i >= 16)
                {
                    var a = Vector128.LoadUnsafe(ref src, (nuint)i);
                    var b = Vector128.LoadUnsafe(ref src, (nuint)(i + 8));
                    if ((Specials(a) | Specials(b)) != Vector128<ushort>.Zero)
                    {
                        break;
                    }

                    Vector128.Narrow(a, b).StoreUnsafe(ref dst, (nuint)o);
                    i += 16;
                    o += 16;
                }

                if (n - i >= 8)
                {
                    var a = Vector128.LoadUnsafe(ref src, (nuint)i);
                    if (Specials(a) == Vector128<ushort>.Zero)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, o), Vector128.Narrow(a, a).AsUInt64().ToScalar());
                        i += 8;
                        o += 8;
                        continue;
                    }
                }
            }

            // Scalar: up to 8 chars, then back to the vector loop.
            var stop = Math.Min(n, i + 8);
            while (i < stop)
            {
                uint c = Unsafe.Add(ref src, i);
                if (c - 0x20u < 0x60u)
                {
                    if (c == '"' || c == '\\')
                    {
                        Unsafe.Add(ref dst, o) = (byte)'\\';
                        Unsafe.Add(ref dst, o + 1) = (byte)c;
                        o += 2;
                    }
                    else
                    {
                        Unsafe.Add(ref dst, o++) = (byte)c;
                    }

                    i++;
                }
                else if (c < 0x20u)
                {
                    o += WriteControl(c, ref Unsafe.Add(ref dst, o));
                    i++;
                }
                else if (c < 0x800u)
                {
                    Unsafe.Add(ref dst, o) = (byte)(0xC0u | (c >> 6));
                    Unsafe.Add(ref dst, o + 1) = (byte)(0x80u | (c & 0x3Fu));
                    o += 2;
                    i++;
                }
                else if (c - 0xD800u < 0x800u)
                {
                    uint low;
                    if (c <= 0xDBFFu && i + 1 < n && (low = Unsafe.Add(ref src, i + 1)) - 0xDC00u < 0x400u)
                    {
                        var cp = 0x10000u + ((c - 0xD800u) << 10) + (low - 0xDC00u);
                        Unsafe.Add(ref dst, o) = (byte)(0xF0u | (cp >> 18));
                        Unsafe.Add(ref dst, o + 1) = (byte)(0x80u | ((cp >> 12) & 0x3Fu));
                        Unsafe.Add(ref dst, o + 2) = (byte)(0x80u | ((cp >> 6) & 0x3Fu));
                        Unsafe.Add(ref dst, o + 3) = (byte)(0x80u | (cp & 0x3Fu));
                        o += 4;
                        i += 2;
                    }
                    else
                    {
                        // Lone surrogate: U+FFFD.
                        Unsafe.Add(ref dst, o) = 0xEF;
                        Unsafe.Add(ref dst, o + 1) = 0xBF;
                        Unsafe.Add(ref dst, o + 2) = 0xBD;
                        o += 3;
                        i++;
                    }
                }
                else if (c == 0x2028u || c == 0x2029u)
                {
                    o += WriteUnicodeEscape(c, ref Unsafe.Add(ref dst, o));
                    i++;
                }
                else
                {
                    Unsafe.Add(ref dst, o) = (byte)(0xE0u | (c >> 12));
                    Unsafe.Add(ref dst, o + 1) = (byte)(0x80u | ((c >> 6) & 0x3Fu));
                    Unsafe.Add(ref dst, o + 2) = (byte)(0x80u | (c & 0x3Fu));
                    o += 3;
                    i++;
                }
            }
        }

        Debug.Assert(o <= destination.Length, "Escaping overran the reserved space.");
        return o;
    }

    /// <summary>
    /// Copies the plain-ASCII prefix of the value (no char needing escaping or UTF-8 encoding) one byte per char,
    /// in whole vectors, and returns how many chars were copied: <paramref name="n"/> when the whole value is plain
    /// (the last vector overlaps the previous one instead of falling back to a scalar tail). Chars are narrowed with
    /// unsigned saturation first, so every char at or above U+0080 becomes a byte at or above 0x80 and one signed
    /// byte compare finds both those and the control chars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyPlainAscii(ref ushort src, ref byte dst, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            for (; i <= n - 32; i += 32)
            {
                var bytes = Vector256.NarrowWithSaturation(Vector256.LoadUnsafe(ref src, (nuint)i), Vector256.LoadUnsafe(ref src, (nuint)(i + 16)));
                if (HasSpecials(bytes))
                {
                    return i;
                }

                bytes.StoreUnsafe(ref dst, (nuint)i);
            }

            if (i < n)
            {
                var t = n - 32;
                var bytes = Vector256.NarrowWithSaturation(Vector256.LoadUnsafe(ref src, (nuint)t), Vector256.LoadUnsafe(ref src, (nuint)(t + 16)));
                if (HasSpecials(bytes))
                {
                    return i;
                }

                bytes.StoreUnsafe(ref dst, (nuint)t);
            }

            return n;
        }

        if (n >= 16)
        {
            for (; i <= n - 16; i += 16)
            {
                var bytes = Vector128.NarrowWithSaturation(Vector128.LoadUnsafe(ref src, (nuint)i), Vector128.LoadUnsafe(ref src, (nuint)(i + 8)));
                if (HasSpecials(bytes))
                {
                    return i;
                }

                bytes.StoreUnsafe(ref dst, (nuint)i);
            }

            if (i < n)
            {
                var t = n - 16;
                var bytes = Vector128.NarrowWithSaturation(Vector128.LoadUnsafe(ref src, (nuint)t), Vector128.LoadUnsafe(ref src, (nuint)(t + 8)));
                if (HasSpecials(bytes))
                {
                    return i;
                }

                bytes.StoreUnsafe(ref dst, (nuint)t);
            }

            return n;
        }

        // 8..15 chars: the first and the last 8 chars (overlapping) in one vector.
        var both = Vector128.NarrowWithSaturation(Vector128.LoadUnsafe(ref src), Vector128.LoadUnsafe(ref src, (nuint)(n - 8)));
        if (HasSpecials(both))
        {
            return 0;
        }

        Unsafe.WriteUnaligned(ref dst, both.AsUInt64().GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, n - 8), both.AsUInt64().GetElement(1));
        return n;
    }

    /// <summary>
    /// Copies a value that needs neither escaping nor UTF-8 encoding (every char in U+0020–U+007F except '"' and
    /// '\') one byte per char to <paramref name="dst"/> and returns <see langword="true"/>; otherwise returns
    /// <see langword="false"/> (bytes already written are garbage for the caller to overwrite). Writes only within
    /// <c>dst[0..n)</c> and reads only within the value. Every size up to 128 chars is covered by a fixed number of
    /// whole vectors (the last ones overlapping the first instead of a scalar tail), checked together with one
    /// branch, so the work has no loop and few branches that depend on the value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCopyPlain(ref ushort src, ref byte dst, int n)
    {
        if (n >= 32 && Vector256.IsHardwareAccelerated)
        {
            var tail = (nuint)(n - 32);
            if (n <= 64)
            {
                return (CopyBlock32(ref src, ref dst, 0) | CopyBlock32(ref src, ref dst, tail)) == Vector256<byte>.Zero;
            }

            if (n <= 128)
            {
                return (CopyBlock32(ref src, ref dst, 0) | CopyBlock32(ref src, ref dst, 32)
                    | CopyBlock32(ref src, ref dst, tail - 32) | CopyBlock32(ref src, ref dst, tail)) == Vector256<byte>.Zero;
            }

            // Longer values: 32-char blocks, the last one moved back to end at n.
            for (nuint i = 0; ; i = Math.Min(i + 32, tail))
            {
                if (CopyBlock32(ref src, ref dst, i) != Vector256<byte>.Zero)
                {
                    return false;
                }

                if (i == tail)
                {
                    return true;
                }
            }
        }

        if (n >= 16 && Vector128.IsHardwareAccelerated)
        {
            var tail = (nuint)(n - 16);
            if (n < 32)
            {
                return (CopyBlock16(ref src, ref dst, 0) | CopyBlock16(ref src, ref dst, tail)) == Vector128<byte>.Zero;
            }

            for (nuint i = 0; ; i = Math.Min(i + 16, tail))
            {
                if (CopyBlock16(ref src, ref dst, i) != Vector128<byte>.Zero)
                {
                    return false;
                }

                if (i == tail)
                {
                    return true;
                }
            }
        }

        if (n >= 8 && Vector128.IsHardwareAccelerated)
        {
            // 8..15 chars: the first and the last 8 chars (overlapping) in one vector.
            var both = NarrowForCheck(Vector128.LoadUnsafe(ref src), Vector128.LoadUnsafe(ref src, (nuint)(n - 8)));
            if (HasSpecials(both))
            {
                return false;
            }

            Unsafe.WriteUnaligned(ref dst, both.AsUInt64().GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, n - 8), both.AsUInt64().GetElement(1));
            return true;
        }

        if (n >= 4 && Vector128.IsHardwareAccelerated)
        {
            // 4..7 chars: the first and the last 4 chars (overlapping) as two 64-bit loads.
            var chars = Vector128.Create(
                Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref src)),
                Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref src, n - 4)))).AsUInt16();
            var both = NarrowForCheck(chars, chars);
            if (HasSpecials(both))
            {
                return false;
            }

            Unsafe.WriteUnaligned(ref dst, both.AsUInt32().GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, n - 4), both.AsUInt32().GetElement(1));
            return true;
        }

        for (var i = 0; i < n; i++)
        {
            uint c = Unsafe.Add(ref src, i);
            if (c - 0x20u >= 0x60u || c == '"' || c == '\\')
            {
                return false;
            }

            Unsafe.Add(ref dst, i) = (byte)c;
        }

        return true;
    }

    /// <summary>
    /// Narrows 32 chars at <c>src + i</c> into <c>dst + i</c> and returns the mask of those that are not plain
    /// (see <see cref="HasSpecials(Vector256{byte})"/>): zero when the block was copied as the value's bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> CopyBlock32(ref ushort src, ref byte dst, nuint i)
    {
        var bytes = NarrowForCheck(ref src, i);
        bytes.StoreUnsafe(ref dst, i);
        return Specials(bytes);
    }

    /// <summary>The 16-char form of <see cref="CopyBlock32"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> CopyBlock16(ref ushort src, ref byte dst, nuint i)
    {
        var bytes = NarrowForCheck(Vector128.LoadUnsafe(ref src, i), Vector128.LoadUnsafe(ref src, i + 8));
        bytes.StoreUnsafe(ref dst, i);
        return Specials(bytes);
    }

    /// <summary>
    /// Narrows 32 chars at <paramref name="src"/> + <paramref name="i"/> to bytes such that every char that is not
    /// ASCII becomes a byte <see cref="HasSpecials(Vector256{byte})"/> flags: with AVX-512 one unsigned-saturating
    /// <c>vpmovuswb</c>; with AVX2 the signed-saturating <c>vpackuswb</c> (U+0100–U+7FFF → 0xFF, U+8000 and above →
    /// 0x00: both flagged) and a lane fix-up; elsewhere <see cref="Vector256.NarrowWithSaturation(Vector256{ushort}, Vector256{ushort})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> NarrowForCheck(ref ushort src, nuint i)
    {
        if (Avx512BW.IsSupported)
        {
            return Avx512BW.ConvertToVector256ByteWithSaturation(Vector512.LoadUnsafe(ref src, i));
        }

        var a = Vector256.LoadUnsafe(ref src, i);
        var b = Vector256.LoadUnsafe(ref src, i + 16);
        return Avx2.IsSupported
            ? Avx2.Permute4x64(Avx2.PackUnsignedSaturate(a.AsInt16(), b.AsInt16()).AsUInt64(), 0b11_01_10_00).AsByte()
            : Vector256.NarrowWithSaturation(a, b);
    }

    /// <summary>The 16-char form of <see cref="NarrowForCheck(ref ushort, nuint)"/> (<c>vpackuswb</c> needs no fix-up here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> NarrowForCheck(Vector128<ushort> a, Vector128<ushort> b)
        => Sse2.IsSupported ? Sse2.PackUnsignedSaturate(a.AsInt16(), b.AsInt16()) : Vector128.NarrowWithSaturation(a, b);

    /// <summary>Whether any narrowed byte is a control char, non-ASCII (at or above 0x80), '"' or '\'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasSpecials(Vector256<byte> bytes) => Specials(bytes) != Vector256<byte>.Zero;

    /// <summary>Marks (all ones) each narrowed byte that is a control char, non-ASCII (at or above 0x80), '"' or '\'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Specials(Vector256<byte> bytes)
        => Vector256.LessThan(bytes.AsSByte(), Vector256.Create((sbyte)0x20)).AsByte()
            | Vector256.Equals(bytes, Vector256.Create((byte)'"'))
            | Vector256.Equals(bytes, Vector256.Create((byte)'\\'));

    /// <inheritdoc cref="HasSpecials(Vector256{byte})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasSpecials(Vector128<byte> bytes) => Specials(bytes) != Vector128<byte>.Zero;

    /// <inheritdoc cref="Specials(Vector256{byte})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Specials(Vector128<byte> bytes)
        => Vector128.LessThan(bytes.AsSByte(), Vector128.Create((sbyte)0x20)).AsByte()
            | Vector128.Equals(bytes, Vector128.Create((byte)'"'))
            | Vector128.Equals(bytes, Vector128.Create((byte)'\\'));

    /// <summary>
    /// Escapes valid UTF-8 (for example the JSON text of a non-string metadata value) as string content into
    /// <paramref name="destination"/>, which must hold <c>source.Length * <see cref="MaxBytesPerUtf8Byte"/></c> bytes.
    /// </summary>
    public static int EscapeUtf8(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if ((long)destination.Length < (long)source.Length * MaxBytesPerUtf8Byte)
        {
            ThrowDestinationTooSmall();
        }

        var o = 0;
        while (!source.IsEmpty)
        {
            var k = source.IndexOfAny(s_utf8Specials);
            if (k < 0)
            {
                source.CopyTo(destination[o..]);
                o += source.Length;
                break;
            }

            source[..k].CopyTo(destination[o..]);
            o += k;
            var b = source[k];
            if (b == 0xE2)
            {
                if (k + 2 < source.Length && source[k + 1] == 0x80 && (source[k + 2] == 0xA8 || source[k + 2] == 0xA9))
                {
                    o += WriteUnicodeEscape(source[k + 2] == 0xA8 ? 0x2028u : 0x2029u, ref destination[o]);
                    source = source[(k + 3)..];
                }
                else
                {
                    destination[o++] = b;
                    source = source[(k + 1)..];
                }

                continue;
            }

            if (b < 0x20)
            {
                o += WriteControl(b, ref destination[o]);
            }
            else
            {
                destination[o] = (byte)'\\';
                destination[o + 1] = b;
                o += 2;
            }

            source = source[(k + 1)..];
        }

        return o;
    }

    /// <summary>
    /// Re-escapes the raw content of a JSON string (between its quotes, already validated by a JSON reader) in the
    /// canonical form <see cref="EscapeUtf16"/> produces, so the decoded value is exactly the original string.
    /// <paramref name="destination"/> must hold <c>raw.Length * <see cref="MaxBytesPerRawStringByte"/></c> bytes.
    /// </summary>
    public static int CanonicalizeStringContent(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        if ((long)destination.Length < (long)raw.Length * MaxBytesPerRawStringByte)
        {
            ThrowDestinationTooSmall();
        }

        var o = 0;
        while (!raw.IsEmpty)
        {
            var k = raw.IndexOfAny(s_rawStringSpecials);
            if (k < 0)
            {
                raw.CopyTo(destination[o..]);
                o += raw.Length;
                break;
            }

            raw[..k].CopyTo(destination[o..]);
            o += k;
            raw = raw[k..];
            if (raw[0] == 0xE2)
            {
                if (raw.Length >= 3 && raw[1] == 0x80 && (raw[2] == 0xA8 || raw[2] == 0xA9))
                {
                    o += WriteUnicodeEscape(raw[2] == 0xA8 ? 0x2028u : 0x2029u, ref destination[o]);
                    raw = raw[3..];
                }
                else
                {
                    destination[o++] = 0xE2;
                    raw = raw[1..];
                }

                continue;
            }

            // A backslash escape (the JSON reader has validated it).
            var e = raw.Length > 1 ? raw[1] : (byte)0;
            switch (e)
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    destination[o] = (byte)'\\';
                    destination[o + 1] = e;
                    o += 2;
                    raw = raw[2..];
                    break;
                case (byte)'/':
                    destination[o++] = (byte)'/';
                    raw = raw[2..];
                    break;
                case (byte)'u' when raw.Length >= 6 && TryParseHex4(raw.Slice(2, 4), out var unit):
                    raw = raw[6..];
                    uint cp = unit;
                    if (unit - 0xD800u < 0x800u)
                    {
                        if (unit <= 0xDBFFu && raw.Length >= 6 && raw[0] == '\\' && raw[1] == 'u'
                            && TryParseHex4(raw.Slice(2, 4), out var low) && low - 0xDC00u < 0x400u)
                        {
                            cp = 0x10000u + ((unit - 0xD800u) << 10) + (low - 0xDC00u);
                            raw = raw[6..];
                        }
                        else
                        {
                            cp = 0xFFFD;
                        }
                    }

                    o += WriteCodePoint(cp, destination[o..]);
                    break;
                default:
                    // Not produced by a validated reader; keep the text visible but safe.
                    destination[o] = (byte)'\\';
                    destination[o + 1] = (byte)'\\';
                    o += 2;
                    raw = raw[1..];
                    break;
            }
        }

        return o;
    }

    /// <summary>Writes one code point as escaped string content; returns the bytes written (at most 6).</summary>
    private static int WriteCodePoint(uint cp, Span<byte> d)
    {
        if (cp < 0x20u)
        {
            return WriteControl(cp, ref d[0]);
        }

        if (cp == '"' || cp == '\\')
        {
            d[0] = (byte)'\\';
            d[1] = (byte)cp;
            return 2;
        }

        if (cp < 0x80u)
        {
            d[0] = (byte)cp;
            return 1;
        }

        if (cp < 0x800u)
        {
            d[0] = (byte)(0xC0u | (cp >> 6));
            d[1] = (byte)(0x80u | (cp & 0x3Fu));
            return 2;
        }

        if (cp == 0x2028u || cp == 0x2029u)
        {
            return WriteUnicodeEscape(cp, ref d[0]);
        }

        if (cp < 0x10000u)
        {
            d[0] = (byte)(0xE0u | (cp >> 12));
            d[1] = (byte)(0x80u | ((cp >> 6) & 0x3Fu));
            d[2] = (byte)(0x80u | (cp & 0x3Fu));
            return 3;
        }

        d[0] = (byte)(0xF0u | (cp >> 18));
        d[1] = (byte)(0x80u | ((cp >> 12) & 0x3Fu));
        d[2] = (byte)(0x80u | ((cp >> 6) & 0x3Fu));
        d[3] = (byte)(0x80u | (cp & 0x3Fu));
        return 4;
    }

    private static bool TryParseHex4(ReadOnlySpan<byte> hex, out uint value)
    {
        value = 0;
        foreach (var h in hex)
        {
            uint digit = h switch
            {
                >= (byte)'0' and <= (byte)'9' => (uint)(h - '0'),
                >= (byte)'a' and <= (byte)'f' => (uint)(h - 'a' + 10),
                >= (byte)'A' and <= (byte)'F' => (uint)(h - 'A' + 10),
                _ => uint.MaxValue,
            };
            if (digit == uint.MaxValue)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    /// <summary>Chars that cannot be copied as one ASCII byte: below U+0020, at or above U+0080, '"' and '\'.</summary>
    /// <remarks>Signed compares: chars at or above U+8000 are negative as <see cref="short"/>, so below 0x20.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Specials(Vector128<ushort> v)
        => (Vector128.LessThan(v.AsInt16(), Vector128.Create((short)0x20))
            | Vector128.GreaterThan(v.AsInt16(), Vector128.Create((short)0x7F))).AsUInt16()
           | Vector128.Equals(v, Vector128.Create((ushort)'"'))
           | Vector128.Equals(v, Vector128.Create((ushort)'\\'));

    private static int WriteControl(uint c, ref byte d)
    {
        byte shortForm = c switch
        {
            0x08 => (byte)'b',
            0x09 => (byte)'t',
            0x0A => (byte)'n',
            0x0C => (byte)'f',
            0x0D => (byte)'r',
            _ => 0,
        };
        if (shortForm != 0)
        {
            d = (byte)'\\';
            Unsafe.Add(ref d, 1) = shortForm;
            return 2;
        }

        return WriteUnicodeEscape(c, ref d);
    }

    private static int WriteUnicodeEscape(uint c, ref byte d)
    {
        d = (byte)'\\';
        Unsafe.Add(ref d, 1) = (byte)'u';
        Unsafe.Add(ref d, 2) = Hex[(int)((c >> 12) & 0xF)];
        Unsafe.Add(ref d, 3) = Hex[(int)((c >> 8) & 0xF)];
        Unsafe.Add(ref d, 4) = Hex[(int)((c >> 4) & 0xF)];
        Unsafe.Add(ref d, 5) = Hex[(int)(c & 0xF)];
        return 6;
    }

    private static void ThrowDestinationTooSmall()
        => throw new ArgumentException("The destination is smaller than the worst-case escaped size.", "destination");
}
