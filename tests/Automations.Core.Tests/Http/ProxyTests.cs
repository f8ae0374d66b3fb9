using System.Net;
using System.Text;
using Automations.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Http;

/// <summary>Tests that change process-wide proxy settings run alone.</summary>
[CollectionDefinition(nameof(ProcessWideProxySettings), DisableParallelization = true)]
public sealed class ProcessWideProxySettings;

[Collection(nameof(ProcessWideProxySettings))]
public class ProxyTests
{
    private static readonly string[] s_proxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "NO_PROXY", "no_proxy"];

    private static WebhookDispatchRequest Request(Uri url) => new(url, Encoding.UTF8.GetBytes("{}"), "delivery-proxy");

    private static Task Reply(HttpContext context, string text) => context.Response.WriteAsync(text);

    [Fact]
    public async Task Ambient_proxy_settings_are_ignored()
    {
        await using var proxy = await TestReceiver.StartAsync(c => Reply(c, "via proxy"));
        await using var receiver = await TestReceiver.StartAsync(c => Reply(c, "direct"));
        var savedVariables = s_proxyVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        var savedDefault = HttpClient.DefaultProxy;
        try
        {
            foreach (var variable in s_proxyVariables)
            {
                Environment.SetEnvironmentVariable(variable, variable.Contains("no", StringComparison.OrdinalIgnoreCase) ? null : proxy.BaseUri.ToString());
            }

            // The environment is read once per process, so also set the default proxy it would have produced.
            HttpClient.DefaultProxy = new WebProxy(proxy.BaseUri) { BypassProxyOnLocal = false };

            // Control: an ordinary HttpClient does go through the ambient proxy.
            using (var ordinary = new HttpClient())
            {
                Assert.Equal("via proxy", await ordinary.GetStringAsync(receiver.Url("/control")));
            }

            Assert.Single(proxy.Requests);

            await using var services = WebhookDispatcherTests.Services(o => o.EndpointPolicy.AllowLoopback = true);
            var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

            Assert.True(outcome.IsSuccess, outcome.ToString());
            Assert.Equal("direct", outcome.GetResponseBodyText());
            Assert.Equal("/hook", Assert.Single(receiver.Requests).Target);
            Assert.Single(proxy.Requests);
        }
        finally
        {
            foreach (var (variable, value) in savedVariables)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }

            HttpClient.DefaultProxy = savedDefault;
        }
    }

    [Fact]
    public async Task Explicit_egress_proxy_carries_vetted_targets()
    {
        await using var proxy = await TestReceiver.StartAsync(c => Reply(c, "via egress"));
        var resolver = EndpointGuardTests.Resolver("public.example.test", "93.184.216.34");
        await using var services = WebhookDispatcherTests.Services(o =>
        {
            o.EgressProxy = proxy.BaseUri;
            o.EndpointPolicy.AllowHttp = true;
        }, resolver: resolver);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(new Uri("http://public.example.test/hook")));

        Assert.True(outcome.IsSuccess, outcome.ToString());
        Assert.Equal("via egress", outcome.GetResponseBodyText());
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("public.example.test", seen.Host);
        Assert.Equal("/hook", seen.Target);
    }

    [Fact]
    public async Task Explicit_egress_proxy_never_sees_refused_targets()
    {
        await using var proxy = await TestReceiver.StartAsync(c => Reply(c, "via egress"));
        var resolver = EndpointGuardTests.Resolver("internal.example.test", "10.0.0.1");
        await using var services = WebhookDispatcherTests.Services(o =>
        {
            o.EgressProxy = proxy.BaseUri;
            o.EndpointPolicy.AllowHttp = true;
        }, resolver: resolver);
        var dispatcher = services.GetRequiredService<IWebhookDispatcher>();

        var resolved = await dispatcher.DispatchAsync(Request(new Uri("http://internal.example.test/hook")));
        var literal = await dispatcher.DispatchAsync(Request(new Uri("http://169.254.169.254/latest/meta-data/")));

        Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, resolved.Kind);
        Assert.Equal(IpAddressCategory.Private, resolved.PolicyDecision!.Category);
        Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, literal.Kind);
        Assert.Equal(0, proxy.Connections);
    }
}
