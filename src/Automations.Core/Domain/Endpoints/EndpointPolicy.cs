using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Automations.Core.Domain.Endpoints;

/// <summary>
/// The SSRF endpoint policy. Layer 1 (<see cref="CheckUrl(string)"/>) is static and needs no DNS: only
/// <c>https</c> (plain <c>http</c> only through an opt-in), an absolute URL with a host, no user info, and never an IP
/// address literal in any spelling nor <c>localhost</c>. Layer 2 (<see cref="CheckAddress(IPAddress)"/>, applied by
/// <see cref="Http.EndpointGuard"/> when connecting) vets every address a host name resolves to. Immutable and thread-safe.
/// </summary>
public sealed class EndpointPolicy
{
    /// <summary>The longest URL the policy accepts, in characters.</summary>
    public const int MaxUrlLength = 2048;

    private static readonly IdnMapping s_idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    /// <summary>Creates a policy from the given opt-ins (all off when <see langword="null"/>).</summary>
    /// <param name="options">The opt-ins; copied, later changes to the object have no effect.</param>
    public EndpointPolicy(EndpointPolicyOptions? options = null)
    {
        AllowLoopback = options?.AllowLoopback ?? false;
        AllowPrivateNetworks = options?.AllowPrivateNetworks ?? false;
        AllowHttp = options?.AllowHttp ?? false;
    }

    /// <summary>The default policy: public <c>https</c> host names only.</summary>
    public static EndpointPolicy Strict { get; } = new();

    /// <summary>Whether loopback targets are allowed (<see cref="EndpointPolicyOptions.AllowLoopback"/>).</summary>
    public bool AllowLoopback { get; }

    /// <summary>Whether private-network targets are allowed (<see cref="EndpointPolicyOptions.AllowPrivateNetworks"/>).</summary>
    public bool AllowPrivateNetworks { get; }

    /// <summary>Whether plain <c>http</c> is allowed to any allowed host (<see cref="EndpointPolicyOptions.AllowHttp"/>).</summary>
    public bool AllowHttp { get; }

    /// <summary>Whether a connection to an address of the given category is allowed (layer 2).</summary>
    /// <param name="category">The address category.</param>
    /// <returns><see langword="true"/> for public addresses and for the categories an opt-in allows.</returns>
    public bool IsAllowed(IpAddressCategory category) => category switch
    {
        IpAddressCategory.Public => true,
        IpAddressCategory.Loopback => AllowLoopback,
        IpAddressCategory.Private or IpAddressCategory.SharedAddressSpace
            or IpAddressCategory.UniqueLocal or IpAddressCategory.SiteLocal => AllowPrivateNetworks,
        _ => false,
    };

    /// <summary>Layer 2: decides whether a connection to the address is allowed.</summary>
    /// <param name="address">An address (for example one a host name resolved to).</param>
    /// <returns>The decision; refused with <see cref="EndpointRefusalReason.DisallowedAddress"/> for a refused category.</returns>
    public EndpointDecision CheckAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return CheckAddress(address, host: null);
    }

    /// <summary>Layer 1: decides whether the URL may be used as a webhook endpoint, without any DNS lookup.</summary>
    /// <param name="url">The absolute URL.</param>
    /// <returns>The decision.</returns>
    public EndpointDecision CheckUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri
            ? CheckUrl(url.OriginalString)
            : EndpointDecision.Refuse(EndpointRefusalReason.NotAbsolute, "The URL must be absolute, like https://example.com/hook.");
    }

    /// <summary>Layer 1: decides whether the URL text may be used as a webhook endpoint, without any DNS lookup.</summary>
    /// <param name="url">The URL as the user typed it.</param>
    /// <returns>The decision; never throws for bad input.</returns>
    public EndpointDecision CheckUrl(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, "The URL is empty.");
        }

        if (url.Length > MaxUrlLength)
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, $"The URL is longer than {MaxUrlLength} characters.");
        }

        foreach (var c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, "The URL contains whitespace or control characters.");
            }

            if (c == '\\')
            {
                return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, "The URL contains a backslash, which URL parsers disagree about.");
            }
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsSchemeText(url.AsSpan(0, colon)))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.NotAbsolute, "The URL must be absolute, like https://example.com/hook.");
        }

        var scheme = url[..colon].ToLowerInvariant();
        if (scheme is not ("https" or "http"))
        {
            var shown = scheme.Length > 32 ? scheme[..32] + "…" : scheme;
            return EndpointDecision.Refuse(EndpointRefusalReason.UnsupportedScheme, $"The scheme '{shown}' is not allowed; use https.");
        }

        var rest = url.AsSpan(colon + 1);
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, $"After '{scheme}:' the URL must continue with '//' and a host.");
        }

        rest = rest[2..];
        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        if (authority.Contains('@'))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.UserInfo,
                "The URL carries user info (text before '@' in the host part); credentials belong in the access token, not the URL.");
        }

        if (!TrySplitAuthority(authority, out var hostText, out var portText, out var splitProblem))
        {
            return splitProblem!;
        }

        if (hostText.Length == 0)
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.MissingHost, "The URL has no host.");
        }

        if (portText is { Length: > 0 } && !IsValidPort(portText))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, "The port must be a number from 1 to 65535.");
        }

        // First look at the host exactly as typed, then at the host System.Uri hands to the socket (IdnHost):
        // both must pass, so no spelling the parser normalises into an IP literal or a loopback name slips through.
        var typed = AnalyzeHost(hostText);
        if (typed.Refusal is not null)
        {
            return typed.Refusal;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, "The URL is not well-formed.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.UserInfo,
                "The URL carries user info (text before '@' in the host part); credentials belong in the access token, not the URL.");
        }

        string socketHost;
        try
        {
            socketHost = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost + "]" : uri.IdnHost;
        }
        catch (UriFormatException)
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InvalidHost, "The host is not a valid host name.");
        }

        var parsed = AnalyzeHost(socketHost);
        if (parsed.Refusal is not null)
        {
            return parsed.Refusal;
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && typed.Category is null)
        {
            // Defensive: System.Uri sees an IP literal where our own reading of the host did not.
            return EndpointDecision.Refuse(EndpointRefusalReason.IpAddressLiteral,
                $"The host is the IP address {uri.IdnHost}; endpoints must be given by host name, not by IP address.");
        }

        if (scheme == "http" && !AllowHttp && !PlainHttpAllowedFor(typed.Category ?? parsed.Category))
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.InsecureScheme,
                "Plain http is not allowed; use https (hosts can opt in with AllowHttp, or AllowLoopback/AllowPrivateNetworks for those targets).");
        }

        return EndpointDecision.Allowed;
    }

    /// <summary>
    /// Layer 2 for a whole resolution: every address must be allowed; over plain <c>http</c> without
    /// <see cref="AllowHttp"/>, every address must also be a loopback/private one an opt-in allows.
    /// </summary>
    internal EndpointDecision CheckResolved(string host, IReadOnlyList<IPAddress> addresses, bool plainHttp)
    {
        if (addresses.Count == 0)
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.ResolutionFailed, $"The host '{host}' resolved to no address.");
        }

        foreach (var address in addresses)
        {
            var decision = CheckAddress(address, host);
            if (!decision.IsAllowed)
            {
                return decision;
            }
        }

        if (plainHttp && !AllowHttp)
        {
            foreach (var address in addresses)
            {
                var category = IpAddressClassifier.Classify(address);
                if (!PlainHttpAllowedFor(category))
                {
                    return EndpointDecision.Refuse(EndpointRefusalReason.InsecureScheme,
                        $"Plain http is allowed only to opted-in loopback/private targets, but '{host}' resolves to {address}, {Describe(category)}.",
                        address, category);
                }
            }
        }

        return EndpointDecision.Allowed;
    }

    /// <summary>The origin of a URL (<c>scheme://host[:port]</c>): the only part of an endpoint URL that is logged or shown.</summary>
    internal static string Origin(Uri url) => url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Authority) : "(relative URL)";

    internal static string Describe(IpAddressCategory category) => category switch
    {
        IpAddressCategory.Public => "a public address",
        IpAddressCategory.Unspecified => "the unspecified address",
        IpAddressCategory.Loopback => "a loopback address",
        IpAddressCategory.Private => "a private (RFC 1918) address",
        IpAddressCategory.SharedAddressSpace => "a carrier-grade NAT (100.64.0.0/10) address",
        IpAddressCategory.LinkLocal => "a link-local address",
        IpAddressCategory.CloudMetadata => "a cloud metadata service address",
        IpAddressCategory.Multicast => "a multicast address",
        IpAddressCategory.Broadcast => "the broadcast address",
        IpAddressCategory.Reserved => "a reserved address",
        IpAddressCategory.Documentation => "a documentation-range address",
        IpAddressCategory.Benchmarking => "a benchmarking-range (198.18.0.0/15) address",
        IpAddressCategory.IetfProtocolAssignments => "an IETF protocol-assignment address",
        IpAddressCategory.UniqueLocal => "an IPv6 unique local (fc00::/7) address",
        IpAddressCategory.SiteLocal => "an IPv6 site-local (fec0::/10) address",
        _ => "an address of an unknown kind",
    };

    private static string OptInHint(IpAddressCategory category) => category switch
    {
        IpAddressCategory.Loopback => "refused unless AllowLoopback is set",
        IpAddressCategory.Private or IpAddressCategory.SharedAddressSpace
            or IpAddressCategory.UniqueLocal or IpAddressCategory.SiteLocal => "refused unless AllowPrivateNetworks is set",
        _ => "never allowed",
    };

    private static bool IsPrivateLike(IpAddressCategory category) => category is IpAddressCategory.Private
        or IpAddressCategory.SharedAddressSpace or IpAddressCategory.UniqueLocal or IpAddressCategory.SiteLocal;

    private bool PlainHttpAllowedFor(IpAddressCategory? category) => category switch
    {
        IpAddressCategory.Loopback => AllowLoopback,
        { } c when IsPrivateLike(c) => AllowPrivateNetworks,
        _ => false,
    };

    private EndpointDecision CheckAddress(IPAddress address, string? host)
    {
        var category = IpAddressClassifier.Classify(address);
        if (IsAllowed(category))
        {
            return EndpointDecision.Allowed;
        }

        var subject = host is null ? $"The address {address}" : $"The host '{host}' resolves to {address}, which";
        return EndpointDecision.Refuse(EndpointRefusalReason.DisallowedAddress,
            $"{subject} is {Describe(category)}; {OptInHint(category)}.", address, category);
    }

    private static bool IsSchemeText(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TrySplitAuthority(ReadOnlySpan<char> authority, out string host, out string? port, out EndpointDecision? problem)
    {
        host = string.Empty;
        port = null;
        problem = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                problem = EndpointDecision.Refuse(EndpointRefusalReason.InvalidHost, "The host has an unclosed '['.");
                return false;
            }

            host = authority[..(close + 1)].ToString();
            var after = authority[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                problem = EndpointDecision.Refuse(EndpointRefusalReason.InvalidHost, "Unexpected text after the bracketed host.");
                return false;
            }

            port = after.Length > 0 ? after[1..].ToString() : null;
            return true;
        }

        var lastColon = authority.LastIndexOf(':');
        host = (lastColon < 0 ? authority : authority[..lastColon]).ToString();
        port = lastColon < 0 ? null : authority[(lastColon + 1)..].ToString();
        if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = EndpointDecision.Refuse(EndpointRefusalReason.IpAddressLiteral,
                "The host looks like an unbracketed IPv6 address; endpoints must be given by host name, not by IP address.");
            return false;
        }

        return true;
    }

    private static bool IsValidPort(string text)
    {
        if (text.Length > 5)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value is >= 1 and <= 65535;
    }

    private readonly record struct HostAnalysis(EndpointDecision? Refusal, IpAddressCategory? Category);

    private HostAnalysis AnalyzeHost(string host)
    {
        if (host.StartsWith('['))
        {
            return AnalyzeBracketedHost(host);
        }

        if (host.Contains('%', StringComparison.Ordinal))
        {
            return Refused(EndpointRefusalReason.InvalidHost, "The host contains percent-encoded characters, which are not allowed in a host name.");
        }

        string ascii;
        try
        {
            ascii = s_idn.GetAscii(host).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return Refused(EndpointRefusalReason.InvalidHost, "The host is not a valid host name.");
        }

        var trailingDot = ascii.EndsWith('.');
        var name = trailingDot ? ascii[..^1] : ascii;
        if (name.Length == 0 || name.Length > 253 || name.EndsWith('.'))
        {
            return Refused(EndpointRefusalReason.InvalidHost, "The host is not a valid host name.");
        }

        var labels = name.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || !IsHostLabel(label))
            {
                return Refused(EndpointRefusalReason.InvalidHost, "The host is not a valid host name (each label: letters, digits, '-', '_'; 1 to 63 characters).");
            }
        }

        if (IsNumericLabel(labels[^1]) || IPAddress.TryParse(name, out _))
        {
            if (!Ipv4Literal.TryParse(labels, out var address))
            {
                return Refused(EndpointRefusalReason.IpAddressLiteral,
                    $"The host '{host}' is numeric like an IP address; endpoints must be given by host name, not by IP address.");
            }

            var canonical = !trailingDot && string.Equals(host, name, StringComparison.OrdinalIgnoreCase) && Ipv4Literal.IsCanonical(labels);
            return AnalyzeLiteral(address, canonical ? null : host);
        }

        if (IsLoopbackName(name))
        {
            return AllowLoopback
                ? new HostAnalysis(null, IpAddressCategory.Loopback)
                : Refused(EndpointRefusalReason.LocalhostName,
                    $"The host '{name}' is a loopback name; endpoints must be public host names (refused unless AllowLoopback is set).");
        }

        return default;
    }

    private HostAnalysis AnalyzeBracketedHost(string host)
    {
        if (!host.EndsWith(']') || host.Length < 3)
        {
            return Refused(EndpointRefusalReason.InvalidHost, "The bracketed host is not a valid IPv6 address.");
        }

        var inner = host[1..^1];
        if (inner.Contains('%', StringComparison.Ordinal))
        {
            return Refused(EndpointRefusalReason.IpAddressLiteral,
                "The host is an IPv6 address with a zone id ('%'); endpoints must be given by host name, not by IP address.");
        }

        if (!IPAddress.TryParse(inner, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return Refused(EndpointRefusalReason.InvalidHost, "The bracketed host is not a valid IPv6 address.");
        }

        return AnalyzeLiteral(address, nonCanonicalSpelling: null);
    }

    private HostAnalysis AnalyzeLiteral(IPAddress address, string? nonCanonicalSpelling)
    {
        var category = IpAddressClassifier.Classify(address);
        if (nonCanonicalSpelling is not null)
        {
            return new HostAnalysis(EndpointDecision.Refuse(EndpointRefusalReason.IpAddressLiteral,
                $"The host '{nonCanonicalSpelling}' is the IP address {address} written in a non-standard form; endpoints must be given by host name, not by IP address.",
                address, category), null);
        }

        // W&B's rule: never an IP literal. Only the loopback/private opt-ins let a literal of their own range through.
        if (category == IpAddressCategory.Public || !IsAllowed(category))
        {
            return new HostAnalysis(EndpointDecision.Refuse(EndpointRefusalReason.IpAddressLiteral,
                $"The host is the IP address {address} ({Describe(category)}); endpoints must be given by host name, not by IP address.",
                address, category), null);
        }

        return new HostAnalysis(null, category);
    }

    private static HostAnalysis Refused(EndpointRefusalReason reason, string message) => new(EndpointDecision.Refuse(reason, message), null);

    private static bool IsHostLabel(string label)
    {
        foreach (var c in label)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The WHATWG URL standard's "ends in a number" test: all digits, or <c>0x</c> and hex digits.</summary>
    private static bool IsNumericLabel(string label)
    {
        if (label.StartsWith("0x", StringComparison.Ordinal))
        {
            return !label.AsSpan(2).ContainsAnyExcept("0123456789abcdef");
        }

        return !label.AsSpan().ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsLoopbackName(string name) =>
        name is "localhost" or "localhost.localdomain" or "ip6-localhost" or "ip6-loopback"
        || name.EndsWith(".localhost", StringComparison.Ordinal);
}
