using Automations.Core.Domain;
using Automations.Core.Http;
using NSubstitute;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Http;

public class WebhookDispatchRequestTests
{
    private static readonly Uri s_url = new("https://hooks.example.com/services/T0/B0/s3cr3t-path?token=s3cr3t-query");

    [Fact]
    public void Keeps_a_private_copy_of_the_body()
    {
        var buffer = "{\"a\":1}"u8.ToArray();
        var request = new WebhookDispatchRequest(s_url, buffer, "d-1");
        buffer[0] = (byte)'X';

        Assert.Equal((byte)'{', request.Body.Span[0]);
        Assert.Equal(7, request.Body.Length);
    }

    [Fact]
    public void ToString_shows_origin_and_header_names_only()
    {
        var request = new WebhookDispatchRequest(s_url, "{}"u8.ToArray(), "d-1",
            [KeyValuePair.Create("Authorization", "Bearer s3cr3t-token"), KeyValuePair.Create("X-Wandb-Signature", "s3cr3t-sig")]);

        var text = request.ToString();

        Assert.Equal("POST https://hooks.example.com (delivery d-1, 2 bytes, headers: Authorization, X-Wandb-Signature)", text);
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_every_problem_without_echoing_header_values()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookDispatchRequest(
            new Uri("/relative", UriKind.Relative),
            ReadOnlyMemory<byte>.Empty,
            "has space",
            [
                KeyValuePair.Create("Content-Type", "text/plain"),
                KeyValuePair.Create("Bad Name", "v"),
                KeyValuePair.Create("X-Sig", "s3cr3t\r\nInjected: yes"),
                KeyValuePair.Create("x-sig", "again"),
                KeyValuePair.Create(WebhookDispatcher.DeliveryIdHeaderName, "other"),
                KeyValuePair.Create("X-Null", (string)null!),
            ]));

        Assert.Equal(
            ["url", "deliveryId", "headers[0].name", "headers[1].name", "headers[2].value", "headers[3].name", "headers[4].name", "headers[5].value"],
            ex.Problems.Select(p => p.Path));
        Assert.DoesNotContain("s3cr3t", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    public void Delivery_id_must_be_visible_ascii(string id)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookDispatchRequest(s_url, default, id));
        Assert.Equal("deliveryId", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Delivery_id_length_is_limited()
    {
        _ = new WebhookDispatchRequest(s_url, default, new string('a', WebhookDispatchRequest.MaxDeliveryIdLength));
        Assert.Throws<AutomationValidationException>(() => new WebhookDispatchRequest(s_url, default, new string('a', WebhookDispatchRequest.MaxDeliveryIdLength + 1)));
    }

    [Fact]
    public void Standard_webhooks_headers_are_accepted()
    {
        var request = new WebhookDispatchRequest(s_url, "{}"u8.ToArray(), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
        [
            KeyValuePair.Create("webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"),
            KeyValuePair.Create("webhook-timestamp", "1674087231"),
            KeyValuePair.Create("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,abc="),
        ]);
        Assert.Equal(3, request.Headers.Count);
    }

    [Fact]
    public void Null_arguments_are_argument_errors()
    {
        Assert.Throws<ArgumentNullException>(() => new WebhookDispatchRequest(null!, default, "d"));
        Assert.Throws<ArgumentNullException>(() => new WebhookDispatchRequest(s_url, default, null!));
    }
}

public class WebhookDispatcherOptionsTests
{
    [Fact]
    public void Defaults_are_thirty_seconds_and_sixteen_kib_with_a_strict_policy()
    {
        var options = new WebhookDispatcherOptions();
        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(16 * 1024, options.MaxResponseBodyBytes);
        Assert.False(options.EndpointPolicy.AllowLoopback);
        Assert.False(options.EndpointPolicy.AllowPrivateNetworks);
        Assert.False(options.EndpointPolicy.AllowHttp);
        Assert.Null(options.EgressProxy);
    }

    [Fact]
    public void Every_invalid_setting_is_reported()
    {
        var options = new WebhookDispatcherOptions
        {
            Timeout = TimeSpan.FromSeconds(-1),
            MaxResponseBodyBytes = 0,
            EndpointPolicy = null!,
            EgressProxy = new Uri("socks5://proxy.internal:1080"),
        };

        var ex = Assert.Throws<AutomationValidationException>(options.Validate);
        Assert.Equal(["Timeout", "MaxResponseBodyBytes", "EndpointPolicy", "EgressProxy"], ex.Problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(1, 1, true)]
    [InlineData(600_000, 1_048_576, true)]
    [InlineData(600_001, 1, false)]
    [InlineData(1, 1_048_577, false)]
    [InlineData(1, -5, false)]
    public void Limits_are_checked(int timeoutMs, int cap, bool valid)
    {
        var options = new WebhookDispatcherOptions { Timeout = TimeSpan.FromMilliseconds(timeoutMs), MaxResponseBodyBytes = cap };
        var problems = new ValidationProblemCollector();
        options.Validate(problems);
        Assert.Equal(valid, problems.IsValid);
    }

    [Fact]
    public void Dispatcher_constructor_validates_its_options()
    {
        var factory = Substitute.For<IHttpClientFactory>();
        Assert.Throws<AutomationValidationException>(() => new WebhookDispatcher(factory, new WebhookDispatcherOptions { Timeout = TimeSpan.Zero }));
    }
}
