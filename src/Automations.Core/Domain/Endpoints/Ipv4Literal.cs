using System.Net;

namespace Automations.Core.Domain.Endpoints;

/// <summary>
/// Reads a host as an IPv4 address the way the WHATWG URL standard (and <c>inet_aton</c>) do: one to four parts,
/// each decimal, octal (leading <c>0</c>) or hex (<c>0x</c>), the last part filling the remaining bytes — so
/// <c>127.1</c>, <c>2130706433</c>, <c>0x7f.1</c> and <c>0177.0.0.1</c> all mean 127.0.0.1.
/// </summary>
internal static class Ipv4Literal
{
    /// <summary>Parses lower-case labels (no trailing empty label) into an IPv4 address.</summary>
    public static bool TryParse(IReadOnlyList<string> labels, out IPAddress address)
    {
        address = IPAddress.None;
        if (labels.Count is 0 or > 4)
        {
            return false;
        }

        Span<ulong> numbers = stackalloc ulong[4];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!TryParseNumber(labels[i], out numbers[i]))
            {
                return false;
            }
        }

        var last = labels.Count - 1;
        for (var i = 0; i < last; i++)
        {
            if (numbers[i] > 255)
            {
                return false;
            }
        }

        var lastBits = 8 * (4 - last);
        if (numbers[last] >= 1UL << lastBits)
        {
            return false;
        }

        ulong value = numbers[last];
        for (var i = 0; i < last; i++)
        {
            value |= numbers[i] << (8 * (3 - i));
        }

        address = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        return true;
    }

    /// <summary>Whether the labels are the one canonical spelling: four decimal parts 0–255 without leading zeros.</summary>
    public static bool IsCanonical(IReadOnlyList<string> labels)
    {
        if (labels.Count != 4)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 3 || (label.Length > 1 && label[0] == '0') || label.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            if (int.Parse(label, System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseNumber(string text, out ulong value)
    {
        value = 0;
        var radix = 10u;
        var digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.Ordinal))
        {
            radix = 16;
            digits = digits[2..];
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            radix = 8;
            digits = digits[1..];
        }

        if (digits.Length == 0)
        {
            return radix != 10;
        }

        foreach (var c in digits)
        {
            uint d;
            if (char.IsAsciiDigit(c))
            {
                d = (uint)(c - '0');
            }
            else if (c is >= 'a' and <= 'f')
            {
                d = (uint)(c - 'a' + 10);
            }
            else
            {
                return false;
            }

            if (d >= radix)
            {
                return false;
            }

            value = (value * radix) + d;
            if (value > uint.MaxValue)
            {
                return false;
            }
        }

        return true;
    }
}
