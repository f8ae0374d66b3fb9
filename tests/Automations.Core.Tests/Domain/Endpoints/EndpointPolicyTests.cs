using System.Net;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Domain.Endpoints;

public class EndpointPolicyTests
{
    private static readonly EndpointPolicy s_loopback = new(new EndpointPolicyOptions { AllowLoopback = true });
    private static readonly EndpointPolicy s_private = new(new EndpointPolicyOptions { AllowPrivateNetworks = true });
    private static readonly EndpointPolicy s_http = new(new EndpointPolicyOptions { AllowHttp = true });

    public static TheoryData<string, EndpointRefusalReason> RefusedByDefault => new()
    {
        // Not a usable URL.
        { "", EndpointRefusalReason.InvalidUrl },
        { "   ", EndpointRefusalReason.InvalidUrl },
        { " https://example.com/", EndpointRefusalReason.InvalidUrl },
        { "https://example.com/\n", EndpointRefusalReason.InvalidUrl },
        { "https://exa mple.com/", EndpointRefusalReason.InvalidUrl },
        { "https://example.com/\u3000", EndpointRefusalReason.InvalidUrl },
        { "https://evil.example\\@127.0.0.1/", EndpointRefusalReason.InvalidUrl },
        { "https:\\\\example.com\\hook", EndpointRefusalReason.InvalidUrl },
        { "https:example.com", EndpointRefusalReason.InvalidUrl },
        { "https:/example.com", EndpointRefusalReason.InvalidUrl },
        { "https://example.com:0/", EndpointRefusalReason.InvalidUrl },
        { "https://example.com:65536/", EndpointRefusalReason.InvalidUrl },
        { "https://example.com:44a/", EndpointRefusalReason.InvalidUrl },
        { "https://example.com/" + new string('a', 2100), EndpointRefusalReason.InvalidUrl },
        { "/relative/hook", EndpointRefusalReason.NotAbsolute },
        { "example.com/hook", EndpointRefusalReason.NotAbsolute },
        { "1https://example.com/", EndpointRefusalReason.NotAbsolute },
        // Wrong scheme.
        { "ftp://example.com/", EndpointRefusalReason.UnsupportedScheme },
        { "file:///etc/passwd", EndpointRefusalReason.UnsupportedScheme },
        { "gopher://example.com:70/_", EndpointRefusalReason.UnsupportedScheme },
        { "javascript:alert(1)", EndpointRefusalReason.UnsupportedScheme },
        { "ws://example.com/", EndpointRefusalReason.UnsupportedScheme },
        { "http://example.com/hook", EndpointRefusalReason.InsecureScheme },
        // No host.
        { "https://", EndpointRefusalReason.MissingHost },
        { "https:///hook", EndpointRefusalReason.MissingHost },
        { "https://:443/hook", EndpointRefusalReason.MissingHost },
        // User info.
        { "https://a@127.0.0.1/", EndpointRefusalReason.UserInfo },
        { "https://user:pass@example.com/", EndpointRefusalReason.UserInfo },
        { "https://example.com@127.0.0.1/", EndpointRefusalReason.UserInfo },
        { "https://127.0.0.1%2f@example.com/", EndpointRefusalReason.UserInfo },
        { "https://@example.com/", EndpointRefusalReason.UserInfo },
        // IPv4 literals in every spelling.
        { "https://127.0.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "HTTPS://127.0.0.1:8443/hook", EndpointRefusalReason.IpAddressLiteral },
        { "http://127.0.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://127.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://127.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://2130706433/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0x7f000001/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0x7f.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0x7f.0.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0X7F.0x0.0x0.0x1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0177.0.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0177.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://017700000001/", EndpointRefusalReason.IpAddressLiteral },
        { "https://127.000.000.001/", EndpointRefusalReason.IpAddressLiteral },
        { "https://127.0.0.1./", EndpointRefusalReason.IpAddressLiteral },
        { "https://0/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0x/", EndpointRefusalReason.IpAddressLiteral },
        { "https://0.0.0.0/", EndpointRefusalReason.IpAddressLiteral },
        { "https://8.8.8.8/", EndpointRefusalReason.IpAddressLiteral },
        { "https://10.0.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://192.168.1.1:8443/", EndpointRefusalReason.IpAddressLiteral },
        { "https://100.64.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://169.254.169.254/latest/meta-data/", EndpointRefusalReason.IpAddressLiteral },
        { "https://100.100.100.200/", EndpointRefusalReason.IpAddressLiteral },
        { "https://1.2.3.4.5/", EndpointRefusalReason.IpAddressLiteral },
        { "https://256.0.0.1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://4294967296/", EndpointRefusalReason.IpAddressLiteral },
        { "https://example.123/", EndpointRefusalReason.IpAddressLiteral },
        // Unicode spellings that IDNA maps to an IPv4 literal.
        { "https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", EndpointRefusalReason.IpAddressLiteral }, // fullwidth digits
        { "https://127\u30020\u30020\u30021/", EndpointRefusalReason.IpAddressLiteral }, // ideographic full stops
        { "https://\u2460\u2461\u2466.0.0.1/", EndpointRefusalReason.IpAddressLiteral }, // circled digits
        { "https://127\uff0e0\uff0e0\uff0e1/", EndpointRefusalReason.IpAddressLiteral }, // fullwidth full stops
        // IPv6 literals, bracketed, zero forms, mapped/compatible/NAT64/6to4, zone ids.
        { "https://[::1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::1]:8443/hook", EndpointRefusalReason.IpAddressLiteral },
        { "https://[0:0:0:0:0:0:0:1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::ffff:127.0.0.1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::ffff:7f00:1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::ffff:169.254.169.254]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::127.0.0.1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[64:ff9b::7f00:1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[2002:7f00:1::]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[fe80::1]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[fe80::1%25eth0]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[fe80::1%eth0]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[fd00:ec2::254]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[2606:4700:4700::1111]/", EndpointRefusalReason.IpAddressLiteral },
        { "https://::1/", EndpointRefusalReason.IpAddressLiteral },
        { "https://[::1/", EndpointRefusalReason.InvalidHost },
        { "https://[v1.fe80::1]/", EndpointRefusalReason.InvalidHost },
        { "https://[::1]x/", EndpointRefusalReason.InvalidHost },
        // localhost and friends, in any case, with a trailing dot, in Unicode disguise.
        { "https://localhost/", EndpointRefusalReason.LocalhostName },
        { "https://LOCALHOST:8443/hook", EndpointRefusalReason.LocalhostName },
        { "https://LocalHost./", EndpointRefusalReason.LocalhostName },
        { "http://localhost:8080/", EndpointRefusalReason.LocalhostName },
        { "https://foo.localhost/", EndpointRefusalReason.LocalhostName },
        { "https://a.b.localhost./", EndpointRefusalReason.LocalhostName },
        { "https://localhost.localdomain/", EndpointRefusalReason.LocalhostName },
        { "https://ip6-localhost/", EndpointRefusalReason.LocalhostName },
        { "https://ip6-loopback/", EndpointRefusalReason.LocalhostName },
        { "https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/", EndpointRefusalReason.LocalhostName }, // fullwidth
        { "https://loc\u00adalhost/", EndpointRefusalReason.LocalhostName }, // soft hyphen, removed by IDNA
        { "https://LOCALHOST\u3002/", EndpointRefusalReason.LocalhostName }, // ideographic full stop as trailing dot
        // Percent-encoding and other host tricks.
        { "https://%6c%6fcalhost/", EndpointRefusalReason.InvalidHost },
        { "https://%31%32%37.0.0.1/", EndpointRefusalReason.InvalidHost },
        { "https://exa%2emple.com/", EndpointRefusalReason.InvalidHost },
        { "https://example..com/", EndpointRefusalReason.InvalidHost },
        { "https://localhost../", EndpointRefusalReason.InvalidHost },
        { "https://./", EndpointRefusalReason.InvalidHost },
        { "https://ex!ample.com/", EndpointRefusalReason.InvalidHost },
        { "https://" + new string('a', 64) + ".com/", EndpointRefusalReason.InvalidHost },
    };

    [Theory]
    [MemberData(nameof(RefusedByDefault))]
    public void Strict_policy_refuses(string url, EndpointRefusalReason reason)
    {
        var decision = EndpointPolicy.Strict.CheckUrl(url);

        Assert.False(decision.IsAllowed, $"{url} should be refused");
        Assert.Equal(reason, decision.Reason);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
        Assert.StartsWith("refused (", decision.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_has_at_least_sixty_spellings() => Assert.True(RefusedByDefault.Count >= 60);

    [Theory]
    [InlineData("https://example.com/hook")]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("https://api.github.com/repos/owner/repo/dispatches")]
    [InlineData("HTTPS://Example.COM:8443/path?q=1#fragment")]
    [InlineData("https://example.com:443/")]
    [InlineData("https://example.com./")]
    [InlineData("https://my_host.example.com/")]
    [InlineData("https://1password.com/")]
    [InlineData("https://123.example.com/")]
    [InlineData("https://localhost.example.com/")]
    [InlineData("https://example.com/a@b?c=d@e")]
    [InlineData("https://\u4f8b\u3048.\u30c6\u30b9\u30c8/")]
    [InlineData("https://xn--r8jz45g.xn--zckzah/")]
    [InlineData("https://intranet/")]
    public void Strict_policy_allows_public_https_host_names(string url)
    {
        var decision = EndpointPolicy.Strict.CheckUrl(url);
        Assert.True(decision.IsAllowed, decision.ToString());
        Assert.Same(EndpointDecision.Allowed, decision);
        Assert.Equal(EndpointRefusalReason.None, decision.Reason);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    [InlineData("https://127.0.0.1:5000/hook", true)]
    [InlineData("http://127.8.9.10/", true)]
    [InlineData("http://localhost:5000/hook", true)]
    [InlineData("http://localhost./", true)]
    [InlineData("http://dev.localhost:5000/", true)]
    [InlineData("http://[::1]:5000/", true)]
    [InlineData("http://[::ffff:127.0.0.1]/", true)]
    [InlineData("http://127.1/", false)] // non-standard spellings stay refused
    [InlineData("http://2130706433/", false)]
    [InlineData("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", false)]
    [InlineData("http://10.0.0.1/", false)]
    [InlineData("https://169.254.169.254/", false)]
    [InlineData("http://example.com/", false)] // plain http only for the opted-in targets
    [InlineData("https://a@localhost/", false)]
    public void AllowLoopback_lets_canonical_loopback_targets_through(string url, bool allowed)
        => Assert.Equal(allowed, s_loopback.CheckUrl(url).IsAllowed);

    [Theory]
    [InlineData("http://10.0.0.1/", true)]
    [InlineData("https://172.16.5.4:8443/", true)]
    [InlineData("https://192.168.1.1/", true)]
    [InlineData("https://100.64.0.1/", true)]
    [InlineData("http://[fd12:3456::1]/", true)]
    [InlineData("https://[fec0::1]/", true)]
    [InlineData("https://100.100.100.200/", false)] // cloud metadata stays refused
    [InlineData("https://[fd00:ec2::254]/", false)]
    [InlineData("https://169.254.169.254/", false)]
    [InlineData("https://127.0.0.1/", false)]
    [InlineData("https://localhost/", false)]
    [InlineData("https://8.8.8.8/", false)] // public literals never
    [InlineData("http://intranet.corp/", false)]
    [InlineData("https://intranet.corp/", true)]
    public void AllowPrivateNetworks_lets_private_literals_through(string url, bool allowed)
        => Assert.Equal(allowed, s_private.CheckUrl(url).IsAllowed);

    [Theory]
    [InlineData("http://example.com/hook", true)]
    [InlineData("http://127.0.0.1/", false)]
    [InlineData("http://localhost/", false)]
    [InlineData("ftp://example.com/", false)]
    public void AllowHttp_allows_plain_http_to_allowed_hosts_only(string url, bool allowed)
        => Assert.Equal(allowed, s_http.CheckUrl(url).IsAllowed);

    [Fact]
    public void Literal_refusal_names_the_address_and_its_category()
    {
        var decision = EndpointPolicy.Strict.CheckUrl("https://0x7f.1/hook");

        Assert.Equal(IPAddress.Parse("127.0.0.1"), decision.Address);
        Assert.Equal(IpAddressCategory.Loopback, decision.Category);
        Assert.Contains("127.0.0.1", decision.Message, StringComparison.Ordinal);
        Assert.Contains("non-standard", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://localhost/s3cr3t-path?token=s3cr3t-query")]
    [InlineData("https://127.0.0.1/s3cr3t-path?token=s3cr3t-query")]
    [InlineData("http://example.com/s3cr3t-path?token=s3cr3t-query")]
    [InlineData("ftp://example.com/s3cr3t-path?token=s3cr3t-query")]
    [InlineData("https://user:s3cr3t-pass@example.com/s3cr3t-path")]
    public void Messages_never_repeat_the_path_query_or_user_info(string url)
    {
        var decision = EndpointPolicy.Strict.CheckUrl(url);
        Assert.False(decision.IsAllowed);
        Assert.DoesNotContain("s3cr3t", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_uri_is_refused_as_not_absolute()
        => Assert.Equal(EndpointRefusalReason.NotAbsolute, EndpointPolicy.Strict.CheckUrl(new Uri("/hook", UriKind.Relative)).Reason);

    [Fact]
    public void Uri_overload_checks_the_original_spelling()
    {
        // System.Uri normalises 2130706433 to 127.0.0.1; the policy still sees what was typed.
        var uri = new Uri("https://2130706433/hook");
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(EndpointRefusalReason.IpAddressLiteral, EndpointPolicy.Strict.CheckUrl(uri).Reason);
    }

    [Fact]
    public void Options_are_copied()
    {
        var options = new EndpointPolicyOptions { AllowLoopback = true };
        var policy = new EndpointPolicy(options);
        options.AllowLoopback = false;
        Assert.True(policy.AllowLoopback);
        Assert.True(policy.CheckUrl("http://localhost/").IsAllowed);
    }

    [Theory]
    [InlineData("93.184.216.34", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("::ffff:192.168.0.1", false)]
    [InlineData("2606:4700:4700::1111", true)]
    public void CheckAddress_allows_public_addresses_only_by_default(string address, bool allowed)
    {
        var decision = EndpointPolicy.Strict.CheckAddress(IPAddress.Parse(address));
        Assert.Equal(allowed, decision.IsAllowed);
        if (!allowed)
        {
            Assert.Equal(EndpointRefusalReason.DisallowedAddress, decision.Reason);
            Assert.NotNull(decision.Category);
        }
    }

    [Theory]
    [InlineData(IpAddressCategory.Loopback, false, true, false)]
    [InlineData(IpAddressCategory.Private, false, false, true)]
    [InlineData(IpAddressCategory.SharedAddressSpace, false, false, true)]
    [InlineData(IpAddressCategory.UniqueLocal, false, false, true)]
    [InlineData(IpAddressCategory.SiteLocal, false, false, true)]
    [InlineData(IpAddressCategory.CloudMetadata, false, false, false)]
    [InlineData(IpAddressCategory.LinkLocal, false, false, false)]
    [InlineData(IpAddressCategory.Unspecified, false, false, false)]
    [InlineData(IpAddressCategory.Multicast, false, false, false)]
    [InlineData(IpAddressCategory.Public, true, true, true)]
    public void Each_opt_in_allows_its_own_categories_only(IpAddressCategory category, bool strict, bool loopback, bool privateNetworks)
    {
        Assert.Equal(strict, EndpointPolicy.Strict.IsAllowed(category));
        Assert.Equal(loopback, s_loopback.IsAllowed(category));
        Assert.Equal(privateNetworks, s_private.IsAllowed(category));
        var all = new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = true, AllowPrivateNetworks = true, AllowHttp = true });
        Assert.Equal(category is not (IpAddressCategory.CloudMetadata or IpAddressCategory.LinkLocal
            or IpAddressCategory.Unspecified or IpAddressCategory.Multicast), all.IsAllowed(category));
    }
}
