namespace Automations.Core.Domain.Endpoints;

/// <summary>
/// Opt-ins that loosen the SSRF endpoint policy. Every one is off by default and meant for development, tests or
/// a deliberately internal deployment; turning one on is a security decision.
/// </summary>
public sealed class EndpointPolicyOptions
{
    /// <summary>
    /// Allows loopback targets: the names <c>localhost</c>, <c>*.localhost</c>, <c>localhost.localdomain</c>,
    /// <c>ip6-localhost</c>, <c>ip6-loopback</c>, the literals <c>127.x.y.z</c> and <c>[::1]</c>, and host names that
    /// resolve to loopback addresses. Plain <c>http</c> is then allowed for loopback names and literals.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Allows private-network targets: RFC 1918 (<c>10/8</c>, <c>172.16/12</c>, <c>192.168/16</c>), carrier-grade NAT
    /// <c>100.64/10</c>, IPv6 unique local <c>fc00::/7</c> and site-local <c>fec0::/10</c>, as literals or as what a
    /// host name resolves to. Plain <c>http</c> is then allowed for literals in those ranges. Cloud metadata
    /// addresses stay refused. Default <see langword="false"/>.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Allows plain <c>http</c> to any otherwise allowed host (by default only <c>https</c> is accepted).
    /// Default <see langword="false"/>.
    /// </summary>
    public bool AllowHttp { get; set; }
}
