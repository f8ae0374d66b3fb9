using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Automations.Core.Domain.Endpoints;

/// <summary>
/// Classifies IP addresses into the <see cref="IpAddressCategory"/> the endpoint policy decides on. Pure and
/// allocation-light; IPv6 forms that embed an IPv4 address are classified by the embedded address.
/// </summary>
public static class IpAddressClassifier
{
    /// <summary>Classifies an address.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <returns>The category of the address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public static IpAddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyIPv4(ToUInt32(address)),
            AddressFamily.InterNetworkV6 => ClassifyIPv6(address),
            _ => throw new ArgumentException("Only IPv4 and IPv6 addresses can be classified.", nameof(address)),
        };
    }

    /// <summary>
    /// Returns the IPv4 address an IPv6 address embeds, for the forms the classifier looks through
    /// (IPv4-mapped, IPv4-compatible, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>); otherwise <see langword="null"/>.
    /// </summary>
    /// <param name="address">An IPv6 address.</param>
    /// <returns>The embedded IPv4 address, or <see langword="null"/>.</returns>
    internal static IPAddress? GetEmbeddedIPv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (!TryGetEmbeddedIPv4(b, out var v4))
        {
            return null;
        }

        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, v4);
        return new IPAddress(bytes);
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    private static bool InRange(uint address, uint network, int prefixLength)
    {
        var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        return (address & mask) == network;
    }

    private static uint V4(byte a, byte b, byte c, byte d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;

    private static IpAddressCategory ClassifyIPv4(uint a)
    {
        if (a == 0)
        {
            return IpAddressCategory.Unspecified;
        }

        if (a == uint.MaxValue)
        {
            return IpAddressCategory.Broadcast;
        }

        if (a == V4(169, 254, 169, 254) || a == V4(169, 254, 170, 2) || a == V4(169, 254, 170, 23)
            || a == V4(100, 100, 100, 200) || a == V4(168, 63, 129, 16))
        {
            return IpAddressCategory.CloudMetadata;
        }

        return a switch
        {
            _ when InRange(a, V4(0, 0, 0, 0), 8) => IpAddressCategory.Reserved,
            _ when InRange(a, V4(10, 0, 0, 0), 8) => IpAddressCategory.Private,
            _ when InRange(a, V4(100, 64, 0, 0), 10) => IpAddressCategory.SharedAddressSpace,
            _ when InRange(a, V4(127, 0, 0, 0), 8) => IpAddressCategory.Loopback,
            _ when InRange(a, V4(169, 254, 0, 0), 16) => IpAddressCategory.LinkLocal,
            _ when InRange(a, V4(172, 16, 0, 0), 12) => IpAddressCategory.Private,
            _ when InRange(a, V4(192, 0, 0, 0), 24) => IpAddressCategory.IetfProtocolAssignments,
            _ when InRange(a, V4(192, 0, 2, 0), 24) => IpAddressCategory.Documentation,
            _ when InRange(a, V4(192, 88, 99, 0), 24) => IpAddressCategory.Reserved,
            _ when InRange(a, V4(192, 168, 0, 0), 16) => IpAddressCategory.Private,
            _ when InRange(a, V4(198, 18, 0, 0), 15) => IpAddressCategory.Benchmarking,
            _ when InRange(a, V4(198, 51, 100, 0), 24) => IpAddressCategory.Documentation,
            _ when InRange(a, V4(203, 0, 113, 0), 24) => IpAddressCategory.Documentation,
            _ when InRange(a, V4(224, 0, 0, 0), 4) => IpAddressCategory.Multicast,
            _ when InRange(a, V4(240, 0, 0, 0), 4) => IpAddressCategory.Reserved,
            _ => IpAddressCategory.Public,
        };
    }

    private static IpAddressCategory ClassifyIPv6(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var hi = BinaryPrimitives.ReadUInt64BigEndian(b);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);

        if (hi == 0 && lo == 0)
        {
            return IpAddressCategory.Unspecified;
        }

        if (hi == 0 && lo == 1)
        {
            return IpAddressCategory.Loopback;
        }

        if (TryGetEmbeddedIPv4(b, out var v4))
        {
            return ClassifyIPv4(v4);
        }

        var first16 = (ushort)(hi >> 48);
        var first32 = (uint)(hi >> 32);

        if (first32 == 0xfd00_0ec2)
        {
            return IpAddressCategory.CloudMetadata;
        }

        return hi switch
        {
            _ when (first16 & 0xff00) == 0xff00 => IpAddressCategory.Multicast,
            _ when (first16 & 0xffc0) == 0xfe80 => IpAddressCategory.LinkLocal,
            _ when (first16 & 0xffc0) == 0xfec0 => IpAddressCategory.SiteLocal,
            _ when (first16 & 0xfe00) == 0xfc00 => IpAddressCategory.UniqueLocal,
            _ when first32 == 0x2001_0db8 => IpAddressCategory.Documentation,
            _ when (hi >> 44) == 0x3fff0 => IpAddressCategory.Documentation,
            _ when (first32 & 0xffff_fe00) == 0x2001_0000 => IpAddressCategory.IetfProtocolAssignments,
            _ when (hi >> 16) == 0x0064_ff9b_0001 => IpAddressCategory.Reserved,
            _ when hi == 0x0100_0000_0000_0000 => IpAddressCategory.Reserved,
            _ when (first16 & 0xe000) == 0x2000 => IpAddressCategory.Public,
            _ => IpAddressCategory.Reserved,
        };
    }

    private static bool TryGetEmbeddedIPv4(ReadOnlySpan<byte> b, out uint v4)
    {
        var hi = BinaryPrimitives.ReadUInt64BigEndian(b);
        var mid = BinaryPrimitives.ReadUInt32BigEndian(b[8..]);
        var last = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);

        // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d (the latter except :: and ::1).
        if (hi == 0 && (mid == 0xffff || (mid == 0 && last > 1)))
        {
            v4 = last;
            return true;
        }

        // NAT64 well-known prefix 64:ff9b::/96.
        if (hi == 0x0064_ff9b_0000_0000 && mid == 0)
        {
            v4 = last;
            return true;
        }

        // 6to4 2002:aabb:ccdd::/48.
        if ((hi >> 48) == 0x2002)
        {
            v4 = (uint)(hi >> 16);
            return true;
        }

        v4 = 0;
        return false;
    }
}
