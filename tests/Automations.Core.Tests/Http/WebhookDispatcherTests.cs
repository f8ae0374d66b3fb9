using System.Net;
using System.Net.Sockets;
using System.Text;
using Automations.Core.DependencyInjection;
using Automations.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Http;

public class WebhookDispatcherTests
{
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("""{"event_type":"LINK_ARTIFACT","alias":"latest"}""");

    internal static ServiceProvider Services(
        Action<WebhookDispatcherOptions>? configure = null,
        TimeProvider? time = null,
        IHostAddressResolver? resolver = null,
        ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }

        services.AddAutomationsWebhookDispatcher(configure);
        return services.BuildServiceProvider();
    }

    private static ServiceProvider LoopbackServices(Action<WebhookDispatcherOptions>? more = null, TimeProvider? time = null, ILoggerProvider? logs = null)
        => Services(o => { o.EndpointPolicy.AllowLoopback = true; more?.Invoke(o); }, time, logs: logs);

    private static WebhookDispatchRequest Request(Uri url, params (string Name, string Value)[] headers)
        => new(url, s_body, "delivery-0001", headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));

    private static Task Respond(HttpContext context, int status, string body = "", params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task Success_posts_the_exact_body_with_the_headers_the_receiver_sees()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, "ok", ("X-Receiver", "yes")));
        await using var services = LoopbackServices();
        var dispatcher = services.GetRequiredService<IWebhookDispatcher>();

        var outcome = await dispatcher.DispatchAsync(Request(receiver.Url("/hook?team=ml"),
            ("Authorization", "Bearer token-123"), ("X-Wandb-Signature", "c2lnbmF0dXJl")));

        Assert.Equal(WebhookDispatchOutcomeKind.Succeeded, outcome.Kind);
        Assert.True(outcome.IsSuccess);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal("ok", outcome.GetResponseBodyText());
        Assert.Equal("yes", outcome.GetResponseHeader("x-receiver"));
        Assert.False(outcome.IsResponseBodyTruncated);
        Assert.Equal("delivery-0001", outcome.DeliveryId);

        var seen = Assert.Single(receiver.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/hook?team=ml", seen.Target);
        Assert.Equal(s_body, seen.Body);
        Assert.Equal("application/json", seen.Headers["Content-Type"]);
        Assert.Equal(s_body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.Headers["Content-Length"]);
        Assert.Equal(WebhookDispatcher.UserAgent, seen.Headers["User-Agent"]);
        Assert.Matches(@"^Automations\.Core/\d+\.\d+\.\d+", seen.Headers["User-Agent"]);
        Assert.Equal("delivery-0001", seen.Headers[WebhookDispatcher.DeliveryIdHeaderName]);
        Assert.Equal("Bearer token-123", seen.Headers["Authorization"]);
        Assert.Equal("c2lnbmF0dXJl", seen.Headers["X-Wandb-Signature"]);
    }

    [Fact]
    public async Task Redirect_is_not_followed_and_its_location_is_reported()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 302, headers: ("Location", "/elsewhere")));
        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Equal(WebhookFailureReason.HttpStatus, outcome.FailureReason);
        Assert.Equal(302, outcome.StatusCode);
        Assert.Equal(receiver.Url("/elsewhere"), outcome.RedirectLocation);
        Assert.Contains("not followed", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("/hook", Assert.Single(receiver.Requests).Target);
    }

    [Fact]
    public async Task Client_error_is_permanent_and_keeps_the_response()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 400, """{"error":"bad payload"}""", ("Content-Type", "application/json")));
        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.False(outcome.IsRetryable);
        Assert.Equal(400, outcome.StatusCode);
        Assert.Equal("""{"error":"bad payload"}""", outcome.GetResponseBodyText());
        Assert.Equal("application/json", outcome.GetResponseHeader("Content-Type"));
        Assert.Null(outcome.RetryAfter);
        Assert.Null(outcome.RedirectLocation);
    }

    [Fact]
    public async Task Gone_means_the_endpoint_is_gone()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 410, "gone"));
        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.EndpointGone, outcome.Kind);
        Assert.Equal(410, outcome.StatusCode);
    }

    [Fact]
    public async Task Too_many_requests_is_retryable_with_retry_after_in_seconds()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 429, headers: ("Retry-After", "120")));
        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RetryableFailure, outcome.Kind);
        Assert.Equal(WebhookFailureReason.HttpStatus, outcome.FailureReason);
        Assert.Equal(429, outcome.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), outcome.RetryAfter);
    }

    [Fact]
    public async Task Service_unavailable_with_an_http_date_retry_after_uses_the_time_provider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var retryAt = time.GetUtcNow().AddSeconds(90).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 503, "maintenance", ("Retry-After", retryAt)));
        await using var services = LoopbackServices(time: time);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RetryableFailure, outcome.Kind);
        Assert.Equal(503, outcome.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(90), outcome.RetryAfter);
        Assert.Equal("maintenance", outcome.GetResponseBodyText());
    }

    [Fact]
    public async Task Server_error_without_retry_after_is_retryable()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 503));
        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.True(outcome.IsRetryable);
        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public async Task No_response_within_the_timeout_is_a_retryable_timeout()
    {
        var time = new FakeTimeProvider();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            arrived.TrySetResult();
            await never.Task.WaitAsync(c.RequestAborted);
        });
        await using var services = LoopbackServices(o => o.Timeout = TimeSpan.FromSeconds(5), time);

        var dispatch = services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/slow")));
        await arrived.Task;
        Assert.False(dispatch.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        var outcome = await dispatch;

        Assert.Equal(WebhookDispatchOutcomeKind.RetryableFailure, outcome.Kind);
        Assert.Equal(WebhookFailureReason.Timeout, outcome.FailureReason);
        Assert.Null(outcome.StatusCode);
    }

    [Fact]
    public async Task Timeout_and_caller_cancellation_still_apply_after_the_timeout_source_was_reused()
    {
        var time = new FakeTimeProvider();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            if (c.Request.Path == "/slow")
            {
                arrived.TrySetResult();
                await never.Task.WaitAsync(c.RequestAborted);
            }
        });
        await using var services = LoopbackServices(o => o.Timeout = TimeSpan.FromSeconds(5), time);
        var dispatcher = services.GetRequiredService<IWebhookDispatcher>();
        Assert.True((await dispatcher.DispatchAsync(Request(receiver.Url("/fast")))).IsSuccess); // its source goes back to the pool

        var slow = dispatcher.DispatchAsync(Request(receiver.Url("/slow")));
        await arrived.Task;
        Assert.False(slow.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(WebhookFailureReason.Timeout, (await slow).FailureReason);

        Assert.True((await dispatcher.DispatchAsync(Request(receiver.Url("/fast")))).IsSuccess);
        arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var cancelled = dispatcher.DispatchAsync(Request(receiver.Url("/slow")), cancel.Token);
        await arrived.Task;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact]
    public async Task The_registration_sends_through_the_factorys_handler_unless_the_host_configured_the_client()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using (var plain = LoopbackServices())
        {
            var dispatcher = Assert.IsType<WebhookDispatcher>(plain.GetRequiredService<IWebhookDispatcher>());
            Assert.True(dispatcher.SendsThroughHandler);
            Assert.True((await dispatcher.DispatchAsync(Request(receiver.Url("/direct")))).IsSuccess);
        }

        var services = new ServiceCollection();
        services.AddAutomationsWebhookDispatcher(o => o.EndpointPolicy.AllowLoopback = true);
        services.AddHttpClient(WebhookDispatcher.HttpClientName).ConfigureHttpClient(c => c.DefaultRequestHeaders.Add("X-Host-Header", "from-host"));
        await using var configured = services.BuildServiceProvider();
        var viaClient = Assert.IsType<WebhookDispatcher>(configured.GetRequiredService<IWebhookDispatcher>());
        Assert.False(viaClient.SendsThroughHandler);
        Assert.True((await viaClient.DispatchAsync(Request(receiver.Url("/client")))).IsSuccess);

        var requests = receiver.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.False(requests[0].Headers.ContainsKey("X-Host-Header"));
        Assert.Equal("from-host", requests[1].Headers["X-Host-Header"]);
        Assert.All(requests, r => Assert.Equal(WebhookDispatcher.UserAgent, r.Headers["User-Agent"]));
        Assert.All(requests, r => Assert.Equal(s_body, r.Body));
    }

    [Fact]
    public async Task Caller_cancellation_is_thrown_not_reported()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            arrived.TrySetResult();
            await never.Task.WaitAsync(c.RequestAborted);
        });
        await using var services = LoopbackServices(time: new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var dispatch = services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/slow")), cancel.Token);
        await arrived.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatch);
    }

    [Fact]
    public async Task Aborted_connection_is_a_retryable_reset()
    {
        await using var receiver = await TestReceiver.StartAsync(c =>
        {
            c.Abort();
            return Task.CompletedTask;
        });
        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RetryableFailure, outcome.Kind);
        Assert.Equal(WebhookFailureReason.ConnectionReset, outcome.FailureReason);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Refused_connection_is_retryable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        await using var services = LoopbackServices();

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(new Uri($"http://127.0.0.1:{port}/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RetryableFailure, outcome.Kind);
        Assert.Equal(WebhookFailureReason.ConnectionRefused, outcome.FailureReason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Response_body_is_capped(bool declareLength)
    {
        var big = new string('x', 100_000);
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            if (declareLength)
            {
                c.Response.ContentLength = big.Length;
            }

            await c.Response.WriteAsync(big);
        });
        await using var services = LoopbackServices(o => o.MaxResponseBodyBytes = 1024);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.True(outcome.IsSuccess);
        Assert.Equal(1024, outcome.ResponseBody.Length);
        Assert.True(outcome.IsResponseBodyTruncated);
        Assert.Equal(new string('x', 1024), outcome.GetResponseBodyText());
    }

    [Theory]
    [InlineData(16, false)] // chunked, shorter than the cap
    [InlineData(8, true)] // exactly the cap, with its length declared
    public async Task Body_within_the_cap_is_kept_whole(int cap, bool declareLength)
    {
        await using var receiver = await TestReceiver.StartAsync(c =>
        {
            if (declareLength)
            {
                c.Response.ContentLength = 8;
            }

            return Respond(c, 202, "accepted");
        });
        await using var services = LoopbackServices(o => o.MaxResponseBodyBytes = cap);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(202, outcome.StatusCode);
        Assert.Equal("accepted", outcome.GetResponseBodyText());
        Assert.False(outcome.IsResponseBodyTruncated);
    }

    [Theory]
    [InlineData(200, "The endpoint answered 200 OK.")]
    [InlineData(204, "The endpoint answered 204 No Content.")]
    [InlineData(299, "The endpoint answered 299")]
    public async Task An_empty_answer_is_a_success_without_a_body(int status, string message)
    {
        await using var receiver = await TestReceiver.StartAsync(c =>
        {
            c.Response.StatusCode = status; // and no body written at all
            return Task.CompletedTask;
        });
        await using var services = LoopbackServices();
        var dispatcher = services.GetRequiredService<IWebhookDispatcher>();

        // Twice over one pooled connection: an unread empty body must not hold the connection.
        var first = await dispatcher.DispatchAsync(Request(receiver.Url("/hook")));
        var second = await dispatcher.DispatchAsync(Request(receiver.Url("/hook")));

        foreach (var outcome in new[] { first, second })
        {
            Assert.True(outcome.IsSuccess);
            Assert.Equal(status, outcome.StatusCode);
            Assert.True(outcome.ResponseBody.IsEmpty);
            Assert.False(outcome.IsResponseBodyTruncated);
            Assert.StartsWith(message, outcome.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(1, receiver.Connections);
    }

    [Fact]
    public async Task A_refused_url_stays_refused_on_every_dispatch_and_an_allowed_one_is_unaffected()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var services = Services(o => o.EndpointPolicy.AllowHttp = true);
        var dispatcher = services.GetRequiredService<IWebhookDispatcher>();

        for (var i = 0; i < 3; i++)
        {
            var outcome = await dispatcher.DispatchAsync(Request(receiver.Url("/hook")));
            Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, outcome.Kind);
            Assert.Equal(EndpointRefusalReason.IpAddressLiteral, outcome.PolicyDecision!.Reason);
        }

        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task Loopback_is_refused_by_default_before_any_connection()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var services = Services(o => o.EndpointPolicy.AllowHttp = true);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>().DispatchAsync(Request(receiver.Url("/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, outcome.Kind);
        Assert.Equal(WebhookFailureReason.RefusedByPolicy, outcome.FailureReason);
        Assert.Equal(EndpointRefusalReason.IpAddressLiteral, outcome.PolicyDecision!.Reason);
        Assert.Equal(0, receiver.Connections);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Host_name_resolving_to_loopback_is_refused_before_any_connection()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var resolver = EndpointGuardTests.Resolver("hooks.example.test", "127.0.0.1");
        await using var services = Services(o => o.EndpointPolicy.AllowHttp = true, resolver: resolver);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>()
            .DispatchAsync(Request(new Uri($"http://hooks.example.test:{receiver.Port}/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, outcome.Kind);
        Assert.Equal(EndpointRefusalReason.DisallowedAddress, outcome.PolicyDecision!.Reason);
        Assert.Equal(IPAddress.Loopback, outcome.PolicyDecision.Address);
        Assert.Equal(IpAddressCategory.Loopback, outcome.PolicyDecision.Category);
        Assert.Equal(0, receiver.Connections);
        await resolver.Received(1).ResolveAsync("hooks.example.test", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task One_bad_address_among_good_ones_refuses_the_host()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var resolver = EndpointGuardTests.Resolver("mixed.example.test", "93.184.216.34", "127.0.0.1");
        await using var services = Services(o => o.EndpointPolicy.AllowHttp = true, resolver: resolver);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>()
            .DispatchAsync(Request(new Uri($"http://mixed.example.test:{receiver.Port}/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, outcome.Kind);
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task Connects_to_the_vetted_address_and_keeps_the_host_name()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 204));
        var resolver = EndpointGuardTests.Resolver("receiver.example.test", "127.0.0.1");
        await using var services = Services(o =>
        {
            o.EndpointPolicy.AllowLoopback = true;
            o.EndpointPolicy.AllowHttp = true;
        }, resolver: resolver);

        var outcome = await services.GetRequiredService<IWebhookDispatcher>()
            .DispatchAsync(Request(new Uri($"http://receiver.example.test:{receiver.Port}/hook")));

        Assert.Equal(WebhookDispatchOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal(204, outcome.StatusCode);
        Assert.Equal(1, receiver.Connections);
        Assert.Equal($"receiver.example.test:{receiver.Port}", Assert.Single(receiver.Requests).Host);
    }

    [Fact]
    public async Task Logs_carry_origin_and_delivery_id_but_never_header_values_or_url_path()
    {
        var logs = new CapturingLoggerProvider();
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, c.Request.Path == "/ok" ? 200 : 400));
        await using var services = LoopbackServices(logs: logs);
        var dispatcher = services.GetRequiredService<IWebhookDispatcher>();
        (string, string)[] secrets = [("Authorization", "Bearer tok-SECRET-1"), ("X-Wandb-Signature", "sig-SECRET-2"), ("webhook-signature", "v1,sig-SECRET-3")];

        await dispatcher.DispatchAsync(Request(receiver.Url("/ok?key=path-SECRET-4"), secrets));
        await dispatcher.DispatchAsync(Request(receiver.Url("/fail/path-SECRET-5"), secrets));
        await dispatcher.DispatchAsync(Request(new Uri("https://localhost/path-SECRET-6"), secrets));

        var all = logs.All;
        Assert.Contains("delivery-0001", all, StringComparison.Ordinal);
        Assert.Contains(receiver.BaseUri.GetLeftPart(UriPartial.Authority), all, StringComparison.Ordinal);
        Assert.Contains("Authorization", all, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", all, StringComparison.Ordinal);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Registration_is_idempotent_and_keeps_host_choices()
    {
        var resolver = EndpointGuardTests.Resolver("x.example.test", "93.184.216.34");
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IHostAddressResolver>(resolver);
        services.AddSingleton<TimeProvider>(time);
        services.AddAutomationsWebhookDispatcher(o => o.Timeout = TimeSpan.FromSeconds(7));
        services.AddAutomationsWebhookDispatcher(o => o.MaxResponseBodyBytes = 99);

        Assert.Single(services, d => d.ServiceType == typeof(IWebhookDispatcher));
        await using var provider = services.BuildServiceProvider();
        Assert.Same(resolver, provider.GetRequiredService<IHostAddressResolver>());
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookDispatcherOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), options.Timeout);
        Assert.Equal(99, options.MaxResponseBodyBytes);
        Assert.IsType<WebhookDispatcher>(provider.GetRequiredService<IWebhookDispatcher>());
        Assert.Same(provider.GetRequiredService<EndpointPolicy>(), ((WebhookDispatcher)provider.GetRequiredService<IWebhookDispatcher>()).Policy);
    }

    [Fact]
    public async Task Invalid_options_fail_when_the_dispatcher_is_resolved()
    {
        await using var services = Services(o =>
        {
            o.Timeout = TimeSpan.Zero;
            o.MaxResponseBodyBytes = 0;
        });

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<IWebhookDispatcher>());
        Assert.Contains(ex.Failures, f => f.Contains("Timeout", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("MaxResponseBodyBytes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(200, WebhookDispatchOutcomeKind.Succeeded)]
    [InlineData(201, WebhookDispatchOutcomeKind.Succeeded)]
    [InlineData(299, WebhookDispatchOutcomeKind.Succeeded)]
    [InlineData(301, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(304, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(307, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(400, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(401, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(404, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(408, WebhookDispatchOutcomeKind.RetryableFailure)]
    [InlineData(410, WebhookDispatchOutcomeKind.EndpointGone)]
    [InlineData(413, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(429, WebhookDispatchOutcomeKind.RetryableFailure)]
    [InlineData(500, WebhookDispatchOutcomeKind.RetryableFailure)]
    [InlineData(502, WebhookDispatchOutcomeKind.RetryableFailure)]
    [InlineData(504, WebhookDispatchOutcomeKind.RetryableFailure)]
    [InlineData(599, WebhookDispatchOutcomeKind.RetryableFailure)]
    [InlineData(600, WebhookDispatchOutcomeKind.PermanentFailure)]
    public void Status_codes_map_to_outcomes(int status, WebhookDispatchOutcomeKind kind)
        => Assert.Equal(kind, WebhookDispatcher.ClassifyStatus(status));

    [Fact]
    public void Retry_after_in_the_past_means_now()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, WebhookDispatcher.ParseRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddMinutes(-5)), now));
        Assert.Equal(TimeSpan.FromSeconds(3), WebhookDispatcher.ParseRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3)), now));
        Assert.Null(WebhookDispatcher.ParseRetryAfter(null, now));
    }

    [Fact]
    public void Exceptions_map_to_failure_reasons()
    {
        var refusal = EndpointPolicy.Strict.CheckUrl("https://localhost/");
        Assert.Equal((WebhookFailureReason.RefusedByPolicy, refusal),
            WebhookDispatcher.ClassifyException(new HttpRequestException("x", new EndpointRefusedException(refusal))));
        Assert.Equal(WebhookFailureReason.ConnectionRefused,
            WebhookDispatcher.ClassifyException(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))).Reason);
        Assert.Equal(WebhookFailureReason.NameResolution,
            WebhookDispatcher.ClassifyException(new HttpRequestException("x", new SocketException((int)SocketError.HostNotFound))).Reason);
        Assert.Equal(WebhookFailureReason.TlsFailure,
            WebhookDispatcher.ClassifyException(new HttpRequestException("x", new System.Security.Authentication.AuthenticationException("cert"))).Reason);
        Assert.Equal(WebhookFailureReason.ProtocolError,
            WebhookDispatcher.ClassifyException(new HttpRequestException(HttpRequestError.InvalidResponse, "x")).Reason);
        Assert.Equal(WebhookFailureReason.ConnectionReset, WebhookDispatcher.ClassifyException(new IOException("reset")).Reason);
    }
}
