using System.Net;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Domain.Endpoints;

public class IpAddressClassifierTests
{
    // Both sides of every boundary: the last address before a range, its first and last address, the next one after.
    [Theory]
    [InlineData("0.0.0.0", IpAddressCategory.Unspecified)]
    [InlineData("0.0.0.1", IpAddressCategory.Reserved)]
    [InlineData("0.255.255.255", IpAddressCategory.Reserved)]
    [InlineData("1.0.0.0", IpAddressCategory.Public)]
    [InlineData("8.8.8.8", IpAddressCategory.Public)]
    [InlineData("9.255.255.255", IpAddressCategory.Public)]
    [InlineData("10.0.0.0", IpAddressCategory.Private)]
    [InlineData("10.255.255.255", IpAddressCategory.Private)]
    [InlineData("11.0.0.0", IpAddressCategory.Public)]
    [InlineData("100.63.255.255", IpAddressCategory.Public)]
    [InlineData("100.64.0.0", IpAddressCategory.SharedAddressSpace)]
    [InlineData("100.127.255.255", IpAddressCategory.SharedAddressSpace)]
    [InlineData("100.128.0.0", IpAddressCategory.Public)]
    [InlineData("100.100.100.199", IpAddressCategory.SharedAddressSpace)]
    [InlineData("100.100.100.200", IpAddressCategory.CloudMetadata)]
    [InlineData("100.100.100.201", IpAddressCategory.SharedAddressSpace)]
    [InlineData("126.255.255.255", IpAddressCategory.Public)]
    [InlineData("127.0.0.0", IpAddressCategory.Loopback)]
    [InlineData("127.0.0.1", IpAddressCategory.Loopback)]
    [InlineData("127.255.255.255", IpAddressCategory.Loopback)]
    [InlineData("128.0.0.0", IpAddressCategory.Public)]
    [InlineData("168.63.129.15", IpAddressCategory.Public)]
    [InlineData("168.63.129.16", IpAddressCategory.CloudMetadata)]
    [InlineData("168.63.129.17", IpAddressCategory.Public)]
    [InlineData("169.253.255.255", IpAddressCategory.Public)]
    [InlineData("169.254.0.0", IpAddressCategory.LinkLocal)]
    [InlineData("169.254.169.253", IpAddressCategory.LinkLocal)]
    [InlineData("169.254.169.254", IpAddressCategory.CloudMetadata)]
    [InlineData("169.254.169.255", IpAddressCategory.LinkLocal)]
    [InlineData("169.254.170.2", IpAddressCategory.CloudMetadata)]
    [InlineData("169.254.170.23", IpAddressCategory.CloudMetadata)]
    [InlineData("169.254.255.255", IpAddressCategory.LinkLocal)]
    [InlineData("169.255.0.0", IpAddressCategory.Public)]
    [InlineData("172.15.255.255", IpAddressCategory.Public)]
    [InlineData("172.16.0.0", IpAddressCategory.Private)]
    [InlineData("172.31.255.255", IpAddressCategory.Private)]
    [InlineData("172.32.0.0", IpAddressCategory.Public)]
    [InlineData("191.255.255.255", IpAddressCategory.Public)]
    [InlineData("192.0.0.0", IpAddressCategory.IetfProtocolAssignments)]
    [InlineData("192.0.0.255", IpAddressCategory.IetfProtocolAssignments)]
    [InlineData("192.0.1.0", IpAddressCategory.Public)]
    [InlineData("192.0.1.255", IpAddressCategory.Public)]
    [InlineData("192.0.2.0", IpAddressCategory.Documentation)]
    [InlineData("192.0.2.255", IpAddressCategory.Documentation)]
    [InlineData("192.0.3.0", IpAddressCategory.Public)]
    [InlineData("192.88.98.255", IpAddressCategory.Public)]
    [InlineData("192.88.99.0", IpAddressCategory.Reserved)]
    [InlineData("192.88.99.255", IpAddressCategory.Reserved)]
    [InlineData("192.88.100.0", IpAddressCategory.Public)]
    [InlineData("192.167.255.255", IpAddressCategory.Public)]
    [InlineData("192.168.0.0", IpAddressCategory.Private)]
    [InlineData("192.168.255.255", IpAddressCategory.Private)]
    [InlineData("192.169.0.0", IpAddressCategory.Public)]
    [InlineData("198.17.255.255", IpAddressCategory.Public)]
    [InlineData("198.18.0.0", IpAddressCategory.Benchmarking)]
    [InlineData("198.19.255.255", IpAddressCategory.Benchmarking)]
    [InlineData("198.20.0.0", IpAddressCategory.Public)]
    [InlineData("198.51.99.255", IpAddressCategory.Public)]
    [InlineData("198.51.100.0", IpAddressCategory.Documentation)]
    [InlineData("198.51.100.255", IpAddressCategory.Documentation)]
    [InlineData("198.51.101.0", IpAddressCategory.Public)]
    [InlineData("203.0.112.255", IpAddressCategory.Public)]
    [InlineData("203.0.113.0", IpAddressCategory.Documentation)]
    [InlineData("203.0.113.255", IpAddressCategory.Documentation)]
    [InlineData("203.0.114.0", IpAddressCategory.Public)]
    [InlineData("223.255.255.255", IpAddressCategory.Public)]
    [InlineData("224.0.0.0", IpAddressCategory.Multicast)]
    [InlineData("239.255.255.255", IpAddressCategory.Multicast)]
    [InlineData("240.0.0.0", IpAddressCategory.Reserved)]
    [InlineData("255.255.255.254", IpAddressCategory.Reserved)]
    [InlineData("255.255.255.255", IpAddressCategory.Broadcast)]
    public void Classifies_IPv4(string address, IpAddressCategory expected)
        => Assert.Equal(expected, IpAddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::", IpAddressCategory.Unspecified)]
    [InlineData("::1", IpAddressCategory.Loopback)]
    [InlineData("0:0:0:0:0:0:0:1", IpAddressCategory.Loopback)]
    [InlineData("::2", IpAddressCategory.Reserved)] // IPv4-compatible 0.0.0.2
    // IPv4-mapped ::ffff:0:0/96 takes the embedded address's category.
    [InlineData("::ffff:0.0.0.0", IpAddressCategory.Unspecified)]
    [InlineData("::ffff:127.0.0.1", IpAddressCategory.Loopback)]
    [InlineData("::ffff:7f00:1", IpAddressCategory.Loopback)]
    [InlineData("::ffff:10.1.2.3", IpAddressCategory.Private)]
    [InlineData("::ffff:169.254.169.254", IpAddressCategory.CloudMetadata)]
    [InlineData("::ffff:100.64.0.1", IpAddressCategory.SharedAddressSpace)]
    [InlineData("::ffff:8.8.8.8", IpAddressCategory.Public)]
    [InlineData("::fffe:7f00:1", IpAddressCategory.Reserved)] // just below the mapped range, not mapped
    // IPv4-compatible ::a.b.c.d (deprecated).
    [InlineData("::127.0.0.1", IpAddressCategory.Loopback)]
    [InlineData("::192.168.1.1", IpAddressCategory.Private)]
    [InlineData("::8.8.8.8", IpAddressCategory.Public)]
    // NAT64 64:ff9b::/96.
    [InlineData("64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Reserved)]
    [InlineData("64:ff9b::7f00:1", IpAddressCategory.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", IpAddressCategory.CloudMetadata)]
    [InlineData("64:ff9b::808:808", IpAddressCategory.Public)]
    [InlineData("64:ff9b::1:0:0:1", IpAddressCategory.Reserved)] // inside 64:ff9b::/64 but not the /96
    [InlineData("64:ff9b:1::1", IpAddressCategory.Reserved)] // local-use NAT64
    // 6to4 2002::/16 embeds the IPv4 address in bits 16..47.
    [InlineData("2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Public)]
    [InlineData("2002:7f00:1::", IpAddressCategory.Loopback)]
    [InlineData("2002:a00:1::1", IpAddressCategory.Private)]
    [InlineData("2002:a9fe:a9fe::", IpAddressCategory.CloudMetadata)]
    [InlineData("2002:808:808::1", IpAddressCategory.Public)]
    [InlineData("2003::", IpAddressCategory.Public)]
    // Global unicast 2000::/3 and what lies outside it.
    [InlineData("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Reserved)]
    [InlineData("2000::", IpAddressCategory.Public)]
    [InlineData("2606:4700:4700::1111", IpAddressCategory.Public)]
    [InlineData("4000::", IpAddressCategory.Reserved)]
    // Discard-only 100::/64.
    [InlineData("100::", IpAddressCategory.Reserved)]
    [InlineData("100::ffff:ffff:ffff:ffff", IpAddressCategory.Reserved)]
    // IETF protocol assignments 2001::/23 (Teredo 2001::/32 inside).
    [InlineData("2001::", IpAddressCategory.IetfProtocolAssignments)]
    [InlineData("2001:0:4136:e378::1", IpAddressCategory.IetfProtocolAssignments)]
    [InlineData("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.IetfProtocolAssignments)]
    [InlineData("2001:200::", IpAddressCategory.Public)]
    // Documentation 2001:db8::/32 and 3fff::/20.
    [InlineData("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Public)]
    [InlineData("2001:db8::", IpAddressCategory.Documentation)]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Documentation)]
    [InlineData("2001:db9::", IpAddressCategory.Public)]
    [InlineData("3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Public)]
    [InlineData("3fff::", IpAddressCategory.Documentation)]
    [InlineData("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Documentation)]
    [InlineData("3fff:1000::", IpAddressCategory.Public)]
    // Unique local fc00::/7, with AWS's fd00:ec2::/32 carved out as cloud metadata.
    [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Reserved)]
    [InlineData("fc00::", IpAddressCategory.UniqueLocal)]
    [InlineData("fd12:3456::1", IpAddressCategory.UniqueLocal)]
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.UniqueLocal)]
    [InlineData("fe00::", IpAddressCategory.Reserved)]
    [InlineData("fd00:ec1:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.UniqueLocal)]
    [InlineData("fd00:ec2::", IpAddressCategory.CloudMetadata)]
    [InlineData("fd00:ec2::254", IpAddressCategory.CloudMetadata)]
    [InlineData("fd00:ec2::23", IpAddressCategory.CloudMetadata)]
    [InlineData("fd00:ec3::", IpAddressCategory.UniqueLocal)]
    // Link-local fe80::/10, site-local fec0::/10, multicast ff00::/8.
    [InlineData("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Reserved)]
    [InlineData("fe80::", IpAddressCategory.LinkLocal)]
    [InlineData("fe80::1%2", IpAddressCategory.LinkLocal)]
    [InlineData("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.LinkLocal)]
    [InlineData("fec0::", IpAddressCategory.SiteLocal)]
    [InlineData("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.SiteLocal)]
    [InlineData("ff00::", IpAddressCategory.Multicast)]
    [InlineData("ff02::1", IpAddressCategory.Multicast)]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IpAddressCategory.Multicast)]
    public void Classifies_IPv6(string address, IpAddressCategory expected)
        => Assert.Equal(expected, IpAddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe", "169.254.169.254")]
    [InlineData("2002:c0a8:101::", "192.168.1.1")]
    [InlineData("::10.0.0.1", "10.0.0.1")]
    public void Reads_the_embedded_IPv4_address(string address, string embedded)
        => Assert.Equal(IPAddress.Parse(embedded), IpAddressClassifier.GetEmbeddedIPv4(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("10.0.0.1")]
    public void Other_addresses_embed_nothing(string address)
        => Assert.Null(IpAddressClassifier.GetEmbeddedIPv4(IPAddress.Parse(address)));

    [Fact]
    public void Null_address_is_an_argument_error()
        => Assert.Throws<ArgumentNullException>(() => IpAddressClassifier.Classify(null!));
}
