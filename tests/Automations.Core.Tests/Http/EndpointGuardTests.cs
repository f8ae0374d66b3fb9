using System.Net;
using System.Net.Sockets;
using Automations.Core.Http;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Http;

public class EndpointGuardTests
{
    internal static IHostAddressResolver Resolver(string host, params string[] addresses)
    {
        var resolver = Substitute.For<IHostAddressResolver>();
        resolver.ResolveAsync(host, Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<IPAddress>>(addresses.Select(IPAddress.Parse).ToArray()));
        return resolver;
    }

    [Fact]
    public async Task Host_resolving_to_public_addresses_is_allowed()
    {
        var guard = new EndpointGuard(EndpointPolicy.Strict, Resolver("hooks.example.test", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"));
        var decision = await guard.CheckUrlAsync("https://hooks.example.test/hook");
        Assert.True(decision.IsAllowed, decision.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1", IpAddressCategory.Loopback)]
    [InlineData("10.0.0.7", IpAddressCategory.Private)]
    [InlineData("169.254.169.254", IpAddressCategory.CloudMetadata)]
    [InlineData("100.64.1.1", IpAddressCategory.SharedAddressSpace)]
    [InlineData("0.0.0.0", IpAddressCategory.Unspecified)]
    [InlineData("::1", IpAddressCategory.Loopback)]
    [InlineData("fd00:ec2::254", IpAddressCategory.CloudMetadata)]
    [InlineData("fe80::1", IpAddressCategory.LinkLocal)]
    [InlineData("64:ff9b::7f00:1", IpAddressCategory.Loopback)]
    [InlineData("2002:a00:1::", IpAddressCategory.Private)]
    public async Task Any_refused_address_refuses_the_host(string bad, IpAddressCategory category)
    {
        var guard = new EndpointGuard(EndpointPolicy.Strict, Resolver("rebind.example.test", "93.184.216.34", bad));

        var decision = await guard.CheckUrlAsync("https://rebind.example.test/hook");

        Assert.False(decision.IsAllowed);
        Assert.Equal(EndpointRefusalReason.DisallowedAddress, decision.Reason);
        Assert.Equal(category, decision.Category);
        Assert.Equal(IPAddress.Parse(bad), decision.Address);
        Assert.Contains("rebind.example.test", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IPv4_mapped_results_are_vetted_as_IPv4()
    {
        var guard = new EndpointGuard(EndpointPolicy.Strict, Resolver("mapped.example.test", "::ffff:192.168.1.10"));

        var decision = await guard.CheckHostAsync("mapped.example.test");

        Assert.Equal(EndpointRefusalReason.DisallowedAddress, decision.Reason);
        Assert.Equal(IPAddress.Parse("192.168.1.10"), decision.Address);
        Assert.Equal(IpAddressCategory.Private, decision.Category);
    }

    [Fact]
    public async Task Opt_in_allows_its_category_but_never_cloud_metadata()
    {
        var all = new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = true, AllowPrivateNetworks = true, AllowHttp = true });
        Assert.True((await new EndpointGuard(all, Resolver("dev.example.test", "127.0.0.1", "10.0.0.1")).CheckHostAsync("dev.example.test")).IsAllowed);
        Assert.False((await new EndpointGuard(all, Resolver("meta.example.test", "169.254.169.254")).CheckHostAsync("meta.example.test")).IsAllowed);
    }

    [Fact]
    public async Task No_addresses_and_resolution_errors_are_refusals()
    {
        var empty = new EndpointGuard(EndpointPolicy.Strict, Resolver("empty.example.test"));
        Assert.Equal(EndpointRefusalReason.ResolutionFailed, (await empty.CheckHostAsync("empty.example.test")).Reason);

        var failing = Substitute.For<IHostAddressResolver>();
        failing.ResolveAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Throws(new SocketException((int)SocketError.HostNotFound));
        var decision = await new EndpointGuard(EndpointPolicy.Strict, failing).CheckHostAsync("nowhere.example.test");
        Assert.Equal(EndpointRefusalReason.ResolutionFailed, decision.Reason);
        Assert.Contains("HostNotFound", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_refusal_comes_first_and_nothing_is_resolved()
    {
        var resolver = Substitute.For<IHostAddressResolver>();
        var decision = await new EndpointGuard(EndpointPolicy.Strict, resolver).CheckUrlAsync("https://localhost/hook");

        Assert.Equal(EndpointRefusalReason.LocalhostName, decision.Reason);
        await resolver.DidNotReceiveWithAnyArgs().ResolveAsync(default!, default);
    }

    [Fact]
    public async Task IP_literals_are_vetted_without_the_resolver()
    {
        var resolver = Substitute.For<IHostAddressResolver>();
        var guard = new EndpointGuard(new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = true }), resolver);

        Assert.True((await guard.CheckUrlAsync("http://127.0.0.1:8080/")).IsAllowed);
        Assert.True((await guard.CheckHostAsync("[::1]")).IsAllowed);
        Assert.Equal(EndpointRefusalReason.DisallowedAddress, (await guard.CheckHostAsync("10.0.0.1")).Reason);
        await resolver.DidNotReceiveWithAnyArgs().ResolveAsync(default!, default);
    }

    [Fact]
    public async Task Plain_http_to_a_loopback_name_that_resolves_publicly_is_refused()
    {
        // AllowLoopback permits http://localhost, but only if localhost really is loopback.
        var policy = new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = true });
        var guard = new EndpointGuard(policy, Resolver("localhost", "93.184.216.34"));

        var decision = await guard.CheckUrlAsync("http://localhost:8080/");

        Assert.Equal(EndpointRefusalReason.InsecureScheme, decision.Reason);
        Assert.True((await guard.CheckUrlAsync("https://localhost:8080/")).IsAllowed);
    }

    [Fact]
    public void Direct_handler_never_redirects_never_uses_a_proxy_and_vets_connections()
    {
        using var handler = new EndpointGuard(EndpointPolicy.Strict).CreateHandler();

        var guardHandler = Assert.IsAssignableFrom<DelegatingHandler>(handler);
        var sockets = Assert.IsType<SocketsHttpHandler>(guardHandler.InnerHandler);
        Assert.False(sockets.AllowAutoRedirect);
        Assert.False(sockets.UseProxy);
        Assert.Null(sockets.Proxy);
        Assert.NotNull(sockets.ConnectCallback);
    }

    [Fact]
    public void Proxied_handler_uses_only_the_explicit_proxy()
    {
        using var handler = new EndpointGuard(EndpointPolicy.Strict).CreateHandler(new Uri("http://egress.internal:3128"));

        var guardHandler = Assert.IsAssignableFrom<DelegatingHandler>(handler);
        var sockets = Assert.IsType<SocketsHttpHandler>(guardHandler.InnerHandler);
        Assert.False(sockets.AllowAutoRedirect);
        Assert.True(sockets.UseProxy);
        Assert.Equal(new Uri("http://egress.internal:3128/"), sockets.Proxy!.GetProxy(new Uri("https://example.com/")));
    }

    [Theory]
    [InlineData("3.0", HttpVersionPolicy.RequestVersionOrHigher, "2.0", HttpVersionPolicy.RequestVersionOrLower)]
    [InlineData("3.0", HttpVersionPolicy.RequestVersionExact, "2.0", HttpVersionPolicy.RequestVersionExact)]
    [InlineData("1.1", HttpVersionPolicy.RequestVersionOrHigher, "1.1", HttpVersionPolicy.RequestVersionOrLower)]
    [InlineData("2.0", HttpVersionPolicy.RequestVersionOrLower, "2.0", HttpVersionPolicy.RequestVersionOrLower)]
    public async Task Requests_never_ask_for_HTTP3_which_would_bypass_the_connect_callback(
        string version, HttpVersionPolicy policy, string sentVersion, HttpVersionPolicy sentPolicy)
    {
        var handler = Assert.IsAssignableFrom<DelegatingHandler>(new EndpointGuard(EndpointPolicy.Strict).CreateHandler());
        var inner = new CapturingHandler();
        handler.InnerHandler = inner;
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.com/") { Version = Version.Parse(version), VersionPolicy = policy };

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(Version.Parse(sentVersion), inner.Version);
        Assert.Equal(sentPolicy, inner.Policy);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public Version? Version { get; private set; }

        public HttpVersionPolicy? Policy { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Version = request.Version;
            Policy = request.VersionPolicy;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }

    [Theory]
    [InlineData("/relative")]
    [InlineData("ftp://egress.internal/")]
    public void Bad_egress_proxy_is_an_argument_error(string proxy)
        => Assert.Throws<ArgumentException>(() => new EndpointGuard(EndpointPolicy.Strict).CreateHandler(new Uri(proxy, UriKind.RelativeOrAbsolute)));
}
