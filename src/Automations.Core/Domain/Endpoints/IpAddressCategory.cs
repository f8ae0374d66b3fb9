namespace Automations.Core.Domain.Endpoints;

/// <summary>
/// What kind of network an IP address belongs to, as far as webhook delivery is concerned. IPv6 forms that embed
/// an IPv4 address (IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>,
/// 6to4 <c>2002::/16</c>) take the category of the embedded IPv4 address.
/// </summary>
public enum IpAddressCategory
{
    /// <summary>A globally routable address: the only category webhooks are delivered to by default.</summary>
    Public = 0,

    /// <summary>The unspecified address: <c>0.0.0.0</c> or <c>::</c> (many stacks route it to the local host).</summary>
    Unspecified,

    /// <summary>Loopback: <c>127.0.0.0/8</c> or <c>::1</c>. Allowed only with <see cref="EndpointPolicyOptions.AllowLoopback"/>.</summary>
    Loopback,

    /// <summary>
    /// Private networks (RFC 1918): <c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>.
    /// Allowed only with <see cref="EndpointPolicyOptions.AllowPrivateNetworks"/>.
    /// </summary>
    Private,

    /// <summary>
    /// Shared address space for carrier-grade NAT (RFC 6598): <c>100.64.0.0/10</c>.
    /// Allowed only with <see cref="EndpointPolicyOptions.AllowPrivateNetworks"/>.
    /// </summary>
    SharedAddressSpace,

    /// <summary>Link-local: <c>169.254.0.0/16</c> or <c>fe80::/10</c>. Never allowed.</summary>
    LinkLocal,

    /// <summary>
    /// A cloud instance metadata or host service address: <c>169.254.169.254</c>, <c>169.254.170.2</c>,
    /// <c>169.254.170.23</c>, <c>100.100.100.200</c> (Alibaba), <c>168.63.129.16</c> (Azure) and
    /// <c>fd00:ec2::/32</c> (AWS, incl. <c>fd00:ec2::254</c>). Never allowed, whatever the opt-ins.
    /// </summary>
    CloudMetadata,

    /// <summary>Multicast: <c>224.0.0.0/4</c> or <c>ff00::/8</c>. Never allowed.</summary>
    Multicast,

    /// <summary>The limited broadcast address <c>255.255.255.255</c>. Never allowed.</summary>
    Broadcast,

    /// <summary>
    /// Reserved or not globally routable: <c>0.0.0.0/8</c>, <c>240.0.0.0/4</c>, <c>192.88.99.0/24</c>, IPv6 outside
    /// <c>2000::/3</c> (other than the ranges named elsewhere), <c>100::/64</c>, <c>64:ff9b:1::/48</c>. Never allowed.
    /// </summary>
    Reserved,

    /// <summary>
    /// Documentation ranges: <c>192.0.2.0/24</c>, <c>198.51.100.0/24</c>, <c>203.0.113.0/24</c>,
    /// <c>2001:db8::/32</c>, <c>3fff::/20</c>. Never allowed.
    /// </summary>
    Documentation,

    /// <summary>Benchmarking (RFC 2544): <c>198.18.0.0/15</c>. Never allowed.</summary>
    Benchmarking,

    /// <summary>IETF protocol assignments: <c>192.0.0.0/24</c> and <c>2001::/23</c> (incl. Teredo). Never allowed.</summary>
    IetfProtocolAssignments,

    /// <summary>
    /// IPv6 unique local addresses: <c>fc00::/7</c>. Allowed only with <see cref="EndpointPolicyOptions.AllowPrivateNetworks"/>.
    /// </summary>
    UniqueLocal,

    /// <summary>
    /// Deprecated IPv6 site-local addresses: <c>fec0::/10</c>. Allowed only with <see cref="EndpointPolicyOptions.AllowPrivateNetworks"/>.
    /// </summary>
    SiteLocal,
}
