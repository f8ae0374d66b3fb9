namespace Automations.Core.Domain.Endpoints;

/// <summary>Why the endpoint policy refused a URL or an address.</summary>
public enum EndpointRefusalReason
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The text is not a well-formed URL (empty, too long, whitespace or control characters, backslashes, bad port).</summary>
    InvalidUrl,

    /// <summary>The URL is not absolute (it has no <c>scheme://host</c> part).</summary>
    NotAbsolute,

    /// <summary>The scheme is neither <c>https</c> nor <c>http</c>.</summary>
    UnsupportedScheme,

    /// <summary>The scheme is plain <c>http</c> and no opt-in allows it for this target.</summary>
    InsecureScheme,

    /// <summary>The URL carries user info (<c>user:password@</c>) before the host.</summary>
    UserInfo,

    /// <summary>The URL has no host.</summary>
    MissingHost,

    /// <summary>The host is not a valid host name (bad characters, percent-encoding, over-long labels).</summary>
    InvalidHost,

    /// <summary>The host is an IP address literal, in any spelling.</summary>
    IpAddressLiteral,

    /// <summary>The host is <c>localhost</c> or another loopback name.</summary>
    LocalhostName,

    /// <summary>The host resolves to (or is) an address in a refused category.</summary>
    DisallowedAddress,

    /// <summary>The host name could not be resolved.</summary>
    ResolutionFailed,
}
