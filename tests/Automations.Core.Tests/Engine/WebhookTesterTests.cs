using System.Net;
using System.Text;
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain;
using Automations.Core.Domain.Integrations;
using Automations.Core.Engine;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Storage.InMemory;
using Automations.Core.Templates;
using Automations.Core.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Engine;

public class WebhookTesterTests
{
    private const string Team = "acme";
    private const string WandbSecret = "wandb-signing-secret-Q7";
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Token = "ghp_TestToken_9f8e7d";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly AutomationActor Admin = new("alice");

    private sealed class Harness : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        public Harness(IAutomationAuthorizer? authorizer = null, Action<WebhookDispatcherOptions>? configure = null, IHostAddressResolver? resolver = null, bool allowLoopback = true, DateTimeOffset? start = null)
        {
            Time = new FakeTimeProvider(start ?? Now);
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(Time);
            if (authorizer is not null)
            {
                services.AddSingleton(authorizer);
            }

            if (resolver is not null)
            {
                services.AddSingleton(resolver);
            }

            services.AddAutomations();
            services.AddAutomationsWebhookDispatcher(o =>
            {
                o.EndpointPolicy.AllowLoopback = allowLoopback;
                configure?.Invoke(o);
            });
            _services = services.BuildServiceProvider();
            if (authorizer is null)
            {
                _services.GrantAdmin(Team, Admin.UserName);
            }
        }

        public FakeTimeProvider Time { get; }

        public WebhookTester Tester => _services.GetRequiredService<WebhookTester>();

        public IServiceProvider Services => _services;

        public InMemoryIntegrationStore Integrations => _services.GetRequiredService<InMemoryIntegrationStore>();

        public async Task<WebhookIntegration> AddIntegrationAsync(Uri url, string? secretName = null, string? tokenName = null,
            WebhookSigningScheme scheme = WebhookSigningScheme.Wandb, bool enabled = true)
        {
            var integration = WebhookIntegration.Create("whk_1", Team, "ci hook", url.ToString(), secretName, tokenName, scheme,
                enabled, enabled ? null : "endpoint answered 410 Gone",
                new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = true }));
            Assert.Equal(StoreWriteResult.Applied, await Integrations.AddAsync(integration));
            return integration;
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }

    private static Task Respond(HttpContext context, int status, string body = "", params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return context.Response.WriteAsync(body);
    }

    private static string Header(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
        => Assert.Single(headers, h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static void AssertNoSecretIn(WebhookTestResult result, params string[] secrets)
    {
        var everything = new StringBuilder()
            .AppendLine(result.ToString())
            .AppendLine(result.Message)
            .AppendLine(result.GetResponseBodyText())
            .AppendLine(result.Outcome?.ToString())
            .AppendLine(result.Outcome?.RedirectLocation?.ToString());
        foreach (var (name, value) in result.RequestHeaders.Concat(result.ResponseHeaders))
        {
            everything.Append(name).Append(": ").AppendLine(value);
        }

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything.ToString(), StringComparison.Ordinal);
        }
    }

    // ---- the URL form ----

    [Fact]
    public async Task Url_test_signs_like_a_delivery_the_receiver_verifies_the_wandb_signature_and_the_token_arrives()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, "thanks", ("X-Receiver", "kestrel")));
        await using var harness = new Harness();
        var body = Encoding.UTF8.GetBytes("""{"event_type":"BUILD_AND_DEPLOY","client_payload":{"x":"ü"}}""");

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook?team=ml").ToString(), body, WandbSecret, Token));

        Assert.True(result.IsSuccess);
        Assert.False(result.IsRefused);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("thanks", result.GetResponseBodyText());
        Assert.Equal("kestrel", Header(result.ResponseHeaders, "X-Receiver"));
        Assert.StartsWith(WebhookTester.DeliveryIdPrefix, result.DeliveryId, StringComparison.Ordinal);

        var seen = Assert.Single(receiver.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/hook?team=ml", seen.Target);
        Assert.Equal(body, seen.Body);
        Assert.Equal("application/json", seen.Headers["Content-Type"]);
        Assert.Equal("Bearer " + Token, seen.Headers["Authorization"]);
        Assert.Equal(result.DeliveryId, seen.Headers[WebhookDispatcher.DeliveryIdHeaderName]);
        Assert.True(new WandbSignatureVerifier(WandbSecret).Verify(seen.Body, seen.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        Assert.False(seen.Headers.ContainsKey(WebhookHeaderNames.WebhookSignature));
    }

    [Fact]
    public async Task Url_test_with_standard_webhooks_is_verified_by_our_verifier_and_the_reference_package()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 204));
        await using var harness = new Harness(start: DateTimeOffset.UtcNow); // the reference package checks against the system clock

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString(), null, StandardSecret,
            signingScheme: WebhookSigningScheme.StandardWebhooks));

        Assert.True(result.IsSuccess);
        var seen = Assert.Single(receiver.Requests);
        Assert.Equal(result.DeliveryId, seen.Headers[WebhookHeaderNames.WebhookId]);
        var verifier = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(StandardSecret)], harness.Time);
        var verified = verifier.Verify(seen.Body, seen.Headers[WebhookHeaderNames.WebhookId], seen.Headers[WebhookHeaderNames.WebhookTimestamp],
            seen.Headers[WebhookHeaderNames.WebhookSignature]);
        Assert.True(verified.IsValid, verified.ToString());

        var headers = new HeaderDictionary();
        foreach (var name in new[] { WebhookHeaderNames.WebhookId, WebhookHeaderNames.WebhookTimestamp, WebhookHeaderNames.WebhookSignature })
        {
            headers[name] = seen.Headers[name];
        }

        new StandardWebhooks.StandardWebhook(StandardSecret).Verify(Encoding.UTF8.GetString(seen.Body), headers);
        Assert.False(seen.Headers.ContainsKey(WebhookHeaderNames.WandbSignature));
        Assert.False(seen.Headers.ContainsKey(WebhookHeaderNames.Authorization));
    }

    [Fact]
    public async Task Both_schemes_at_once_send_both_signatures()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness();

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString(), null, StandardSecret,
            signingScheme: WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks));

        Assert.True(result.IsSuccess);
        var seen = Assert.Single(receiver.Requests);
        Assert.True(new WandbSignatureVerifier(StandardSecret).Verify(seen.Body, seen.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        var standard = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(StandardSecret)], harness.Time);
        Assert.True(standard.Verify(seen.Body, seen.Headers[WebhookHeaderNames.WebhookId], seen.Headers[WebhookHeaderNames.WebhookTimestamp],
            seen.Headers[WebhookHeaderNames.WebhookSignature]).IsValid);
    }

    [Fact]
    public async Task Request_headers_are_reported_with_signature_and_token_redacted()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness();

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString(), null, StandardSecret, Token,
            WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks));

        var seen = Assert.Single(receiver.Requests);
        Assert.Equal(
            ["Content-Type", "Content-Length", "User-Agent", WebhookDispatcher.DeliveryIdHeaderName, WebhookHeaderNames.WebhookId,
                WebhookHeaderNames.WebhookTimestamp, WebhookHeaderNames.WebhookSignature, WebhookHeaderNames.WandbSignature, WebhookHeaderNames.Authorization],
            result.RequestHeaders.Select(h => h.Key));
        Assert.Equal("application/json", Header(result.RequestHeaders, "Content-Type"));
        Assert.Equal(seen.Headers["Content-Length"], Header(result.RequestHeaders, "Content-Length"));
        Assert.Equal(WebhookDispatcher.UserAgent, Header(result.RequestHeaders, "User-Agent"));
        Assert.Equal(seen.Headers[WebhookHeaderNames.WebhookId], Header(result.RequestHeaders, WebhookHeaderNames.WebhookId));
        Assert.Equal(seen.Headers[WebhookHeaderNames.WebhookTimestamp], Header(result.RequestHeaders, WebhookHeaderNames.WebhookTimestamp));
        Assert.Equal("[redacted]", Header(result.RequestHeaders, WebhookHeaderNames.WebhookSignature));
        Assert.Equal("[redacted]", Header(result.RequestHeaders, WebhookHeaderNames.WandbSignature));
        Assert.Equal("Bearer [redacted]", Header(result.RequestHeaders, WebhookHeaderNames.Authorization));
        AssertNoSecretIn(result, StandardSecret, Token, seen.Headers[WebhookHeaderNames.WandbSignature], seen.Headers[WebhookHeaderNames.WebhookSignature]);
    }

    [Fact]
    public async Task Without_a_body_the_github_dispatch_preset_is_sent_for_a_sample_event()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness();

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString()));

        Assert.True(result.IsSuccess);
        var seen = Assert.Single(receiver.Requests);
        Assert.Equal(PayloadTemplatePresets.GitHubRepositoryDispatch.RenderToUtf8Bytes(WebhookTester.CreateSampleContext(WebhookTester.SampleEntityName)), seen.Body);
        using var json = JsonDocument.Parse(seen.Body);
        Assert.Equal("BUILD_AND_DEPLOY", json.RootElement.GetProperty("event_type").GetString());
        var payload = json.RootElement.GetProperty("client_payload");
        Assert.Equal(WebhookTester.SampleEntityName, payload.GetProperty("entity_name").GetString());
        Assert.Equal("sample-team/sample-project/sample-dataset:v0", payload.GetProperty("artifact_version_string").GetString());
        Assert.StartsWith("wandb-artifact://_id/", payload.GetProperty("artifact_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(seen.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(result.RequestHeaders, "Content-Length"));
    }

    [Theory]
    [InlineData(302, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(404, WebhookDispatchOutcomeKind.PermanentFailure)]
    [InlineData(410, WebhookDispatchOutcomeKind.EndpointGone)]
    [InlineData(503, WebhookDispatchOutcomeKind.RetryableFailure)]
    public async Task Non_2xx_answers_are_failed_results_with_the_response(int status, WebhookDispatchOutcomeKind kind)
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, status, "answer " + status, ("Location", "/elsewhere"), ("Retry-After", "7")));
        await using var harness = new Harness();

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString()));

        Assert.False(result.IsSuccess);
        Assert.False(result.IsRefused);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(kind, result.Outcome!.Kind);
        Assert.Equal("answer " + status, result.GetResponseBodyText());
        Assert.NotEmpty(result.RequestHeaders);
        Assert.Equal("/hook", Assert.Single(receiver.Requests).Target); // the redirect was not followed
        if (status == 302)
        {
            Assert.Equal(receiver.Url("/elsewhere"), result.Outcome.RedirectLocation);
        }

        if (status == 503)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), result.Outcome.RetryAfter);
        }
    }

    [Fact]
    public async Task Elapsed_time_comes_from_the_time_provider()
    {
        Harness? harness = null;
        await using var receiver = await TestReceiver.StartAsync(c =>
        {
            harness!.Time.Advance(TimeSpan.FromMilliseconds(1500));
            return Respond(c, 200);
        });
        await using (harness = new Harness())
        {
            var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString()));

            Assert.True(result.IsSuccess);
            Assert.Equal(TimeSpan.FromMilliseconds(1500), result.Elapsed);
            Assert.Contains("in 1500 ms", result.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_a_timeout_result()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            arrived.TrySetResult();
            await never.Task.WaitAsync(c.RequestAborted);
        });
        await using var harness = new Harness(configure: o => o.Timeout = TimeSpan.FromSeconds(3));

        var test = harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/slow").ToString()));
        await arrived.Task;
        Assert.False(test.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(3));
        var result = await test;

        Assert.False(result.IsSuccess);
        Assert.False(result.IsRefused);
        Assert.Null(result.StatusCode);
        Assert.Equal(WebhookFailureReason.Timeout, result.Outcome!.FailureReason);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Elapsed);
    }

    [Fact]
    public async Task Loopback_is_refused_by_default_and_nothing_connects()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness(allowLoopback: false);

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/hook").ToString(), null, WandbSecret, Token));

        Assert.True(result.IsRefused);
        Assert.False(result.IsSuccess);
        Assert.Equal(WebhookDispatchOutcomeKind.RefusedByPolicy, result.Outcome!.Kind);
        Assert.Equal(EndpointRefusalReason.IpAddressLiteral, result.Outcome.PolicyDecision!.Reason);
        Assert.StartsWith("Refused by the endpoint policy:", result.RefusalReason, StringComparison.Ordinal);
        Assert.Empty(result.RequestHeaders);
        Assert.Equal(TimeSpan.Zero, result.Elapsed);
        Assert.Equal(0, receiver.Connections);
        Assert.StartsWith("Refused: ", result.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", EndpointRefusalReason.InvalidUrl)]
    [InlineData("not a url", EndpointRefusalReason.InvalidUrl)]
    [InlineData("/relative/hook", EndpointRefusalReason.NotAbsolute)]
    [InlineData("ftp://hooks.example.com/", EndpointRefusalReason.UnsupportedScheme)]
    [InlineData("http://hooks.example.com/", EndpointRefusalReason.InsecureScheme)]
    public async Task A_url_the_policy_refuses_is_a_refusal_not_an_exception(string url, EndpointRefusalReason reason)
    {
        await using var harness = new Harness(allowLoopback: false);

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(url));

        Assert.True(result.IsRefused);
        Assert.Equal(reason, result.Outcome!.PolicyDecision!.Reason);
    }

    [Fact]
    public async Task A_host_name_resolving_to_loopback_is_refused_before_any_connection()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var resolver = Substitute.For<IHostAddressResolver>();
        resolver.ResolveAsync("hooks.example.test", Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<IPAddress>>([IPAddress.Loopback]));
        await using var harness = new Harness(resolver: resolver, allowLoopback: false);

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest($"https://hooks.example.test:{receiver.Port}/hook", null, WandbSecret));

        Assert.True(result.IsRefused);
        Assert.Equal(EndpointRefusalReason.DisallowedAddress, result.Outcome!.PolicyDecision!.Reason);
        Assert.Equal(0, receiver.Connections);
        AssertNoSecretIn(result, WandbSecret);
    }

    [Fact]
    public async Task Secret_values_an_endpoint_echoes_are_scrubbed_from_the_result()
    {
        // Like a request-inspection service: it echoes the request's headers in its body and a header.
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200,
            $$"""{"headers":{"Authorization":"{{c.Request.Headers.Authorization}}"},"note":"secret={{WandbSecret}}"}""",
            ("X-Echo-Authorization", c.Request.Headers.Authorization.ToString())));
        await using var harness = new Harness();

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/anything").ToString(), null, WandbSecret, Token));

        Assert.True(result.IsSuccess);
        Assert.Equal("""{"headers":{"Authorization":"Bearer [redacted]"},"note":"secret=[redacted]"}""", result.GetResponseBodyText());
        Assert.Equal("Bearer [redacted]", Header(result.ResponseHeaders, "X-Echo-Authorization"));
        AssertNoSecretIn(result, WandbSecret, Token);
    }

    [Fact]
    public async Task A_token_an_endpoint_echoes_as_escaped_json_is_scrubbed_from_the_result()
    {
        // An echo service serializing with System.Text.Json's defaults writes '+' as \u002B.
        const string token = "tok+en/123+xyz";
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200,
            System.Text.Json.JsonSerializer.Serialize(new { authorization = c.Request.Headers.Authorization.ToString() })));
        await using var harness = new Harness();

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/anything").ToString(), null, null, token));

        Assert.True(result.IsSuccess);
        Assert.Equal("""{"authorization":"Bearer [redacted]"}""", result.GetResponseBodyText());
        Assert.DoesNotContain("tok\\u002Ben", result.GetResponseBodyText(), StringComparison.Ordinal);
        AssertNoSecretIn(result, token);
    }

    [Fact]
    public async Task The_response_body_is_capped()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, new string('x', 5000)));
        await using var harness = new Harness(configure: o => o.MaxResponseBodyBytes = 1024);

        var result = await harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/big").ToString()));

        Assert.True(result.IsSuccess);
        Assert.Equal(1024, result.ResponseBody.Length);
        Assert.True(result.IsResponseBodyTruncated);
    }

    [Fact]
    public async Task Caller_cancellation_is_thrown()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            arrived.TrySetResult();
            await never.Task.WaitAsync(c.RequestAborted);
        });
        await using var harness = new Harness();
        using var cancel = new CancellationTokenSource();

        var test = harness.Tester.TestUrlAsync(new WebhookTestRequest(receiver.Url("/slow").ToString()), cancel.Token);
        await arrived.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test);
    }

    // ---- the request's validation ----

    [Fact]
    public void Invalid_request_lists_every_problem_without_echoing_values()
    {
        var body = Encoding.UTF8.GetBytes("""{"token":"do-not-echo" """);
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookTestRequest(
            "https://hooks.example.com/", body, "not-a-whsec-secret-value", "tok en", WebhookSigningScheme.StandardWebhooks));

        Assert.Equal(["accessToken", "body", "secretValue"], ex.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        foreach (var text in new[] { ex.Message, string.Join("\n", ex.Problems) })
        {
            Assert.DoesNotContain("not-a-whsec-secret-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("tok en", text, StringComparison.Ordinal);
            Assert.DoesNotContain("do-not-echo", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{} {}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("// comment\n{}")]
    public void Body_must_be_one_json_value(string text)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookTestRequest("https://hooks.example.com/", Encoding.UTF8.GetBytes(text)));
        Assert.Equal("body", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Body_larger_than_the_cap_is_refused()
    {
        var big = new byte[WebhookTestRequest.MaxBodyBytes + 1];
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookTestRequest("https://hooks.example.com/", big));
        Assert.Contains("at most", Assert.Single(ex.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_copies_the_body_and_redacts_its_description()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":1}""");
        var request = new WebhookTestRequest("https://hooks.example.com/path/with-secret?k=v", body, WandbSecret, Token);
        body[1] = (byte)'X';

        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(request.Body!.Value.Span));
        Assert.True(request.IsSigned);
        Assert.True(request.HasAccessToken);
        Assert.Equal(WebhookSigningScheme.Wandb, request.SigningScheme);
        var text = request.ToString();
        Assert.Contains("https://hooks.example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("with-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(WandbSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_secret_the_request_is_unsigned_whatever_the_scheme()
    {
        var request = new WebhookTestRequest("https://hooks.example.com/", signingScheme: WebhookSigningScheme.StandardWebhooks);
        Assert.False(request.IsSigned);
        Assert.Equal(WebhookSigningScheme.None, request.SigningScheme);
        Assert.Null(request.Body);
        Assert.Null(request.Signer);
    }

    [Fact]
    public void A_secret_with_no_scheme_is_invalid()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookTestRequest("https://hooks.example.com/", null, WandbSecret, signingScheme: WebhookSigningScheme.None));
        Assert.Equal("signingScheme", Assert.Single(ex.Problems).Path);
    }

    // ---- the integration form (admin API) ----

    [Fact]
    public async Task Integration_test_signs_with_the_team_secret_and_sends_its_token()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, "ok"));
        await using var harness = new Harness();
        await harness.Services.SetSecretAsync(Team, "HOOK_SECRET", WandbSecret);
        await harness.Services.SetSecretAsync(Team, "GITHUB_TOKEN", Token);
        var integration = await harness.AddIntegrationAsync(receiver.Url("/dispatches"), "HOOK_SECRET", "GITHUB_TOKEN");

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id);

        Assert.True(result.IsSuccess, result.ToString());
        var seen = Assert.Single(receiver.Requests);
        Assert.True(new WandbSignatureVerifier(WandbSecret).Verify(seen.Body, seen.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        Assert.Equal("Bearer " + Token, seen.Headers["Authorization"]);
        using var json = JsonDocument.Parse(seen.Body);
        var payload = json.RootElement.GetProperty("client_payload");
        Assert.Equal(Team, payload.GetProperty("entity_name").GetString());
        Assert.Equal("alice", payload.GetProperty("event_author").GetString());
        Assert.Equal("Bearer [redacted]", Header(result.RequestHeaders, "Authorization"));
        AssertNoSecretIn(result, WandbSecret, Token, seen.Headers[WebhookHeaderNames.WandbSignature]);
    }

    [Fact]
    public async Task Integration_test_with_standard_webhooks_verifies_and_sends_the_given_body_exactly()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 202));
        await using var harness = new Harness();
        await harness.Services.SetSecretAsync(Team, "HOOK_SECRET", StandardSecret);
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"), "HOOK_SECRET", scheme: WebhookSigningScheme.StandardWebhooks);
        var body = Encoding.UTF8.GetBytes("""{"text":"hello from the test button"}""");

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id, body);

        Assert.True(result.IsSuccess);
        var seen = Assert.Single(receiver.Requests);
        Assert.Equal(body, seen.Body);
        var verifier = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(StandardSecret)], harness.Time);
        Assert.True(verifier.Verify(seen.Body, seen.Headers[WebhookHeaderNames.WebhookId], seen.Headers[WebhookHeaderNames.WebhookTimestamp],
            seen.Headers[WebhookHeaderNames.WebhookSignature]).IsValid);
    }

    [Fact]
    public async Task Integration_test_with_a_missing_secret_is_refused_before_sending()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness();
        await harness.Services.SetSecretAsync(Team, "HOOK_SECRET", WandbSecret);
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"), "HOOK_SECRET");
        await harness.Services.GetRequiredService<SecretManager>().DeleteAsync(TestSecrets.SetupAdmin, Team, "HOOK_SECRET", force: true);

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id);

        Assert.True(result.IsRefused);
        Assert.Null(result.Outcome);
        Assert.Contains("'HOOK_SECRET'", result.RefusalReason, StringComparison.Ordinal);
        Assert.Empty(result.RequestHeaders);
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task Integration_test_with_an_unusable_secret_is_refused_without_showing_it()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness();
        await harness.Services.SetSecretAsync(Team, "HOOK_SECRET", "plain-not-whsec-value");
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"), "HOOK_SECRET", scheme: WebhookSigningScheme.StandardWebhooks);

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id);

        Assert.True(result.IsRefused);
        AssertNoSecretIn(result, "plain-not-whsec-value");
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task A_disabled_integration_can_be_tested_and_stays_disabled()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        await using var harness = new Harness();
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"), enabled: false);

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id);

        Assert.True(result.IsSuccess);
        var stored = await harness.Integrations.GetAsync(integration.Id);
        Assert.False(stored!.IsEnabled);
        Assert.Equal(integration.DisabledReason, stored.DisabledReason);
    }

    [Fact]
    public async Task A_gone_endpoint_does_not_disable_the_integration()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 410));
        await using var harness = new Harness();
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"));

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id);

        Assert.Equal(WebhookDispatchOutcomeKind.EndpointGone, result.Outcome!.Kind);
        Assert.True((await harness.Integrations.GetAsync(integration.Id))!.IsEnabled);
    }

    [Fact]
    public async Task Integration_test_refuses_an_invalid_body_after_the_permission_check()
    {
        await using var harness = new Harness();
        var integration = await harness.AddIntegrationAsync(new Uri("https://hooks.example.com/hook"));

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => harness.Tester.TestIntegrationAsync(Admin, integration.Id, Encoding.UTF8.GetBytes("not json")));
        Assert.Equal("body", Assert.Single(ex.Problems).Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whk_missing")]
    public async Task Unknown_integration_is_not_found(string id)
    {
        await using var harness = new Harness();
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => harness.Tester.TestIntegrationAsync(Admin, id));
    }

    [Fact]
    public async Task An_actor_who_cannot_view_the_team_gets_not_found_and_nothing_is_sent()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var authorizer = Substitute.For<IAutomationAuthorizer>();
        authorizer.IsAllowedAsync(Arg.Any<AutomationActor>(), Arg.Any<AutomationPermission>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(ValueTask.FromResult(false));
        await using var harness = new Harness(authorizer);
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"));

        var ex = await Assert.ThrowsAsync<AutomationNotFoundException>(() => harness.Tester.TestIntegrationAsync(new AutomationActor("mallory"), integration.Id));
        var missing = await Assert.ThrowsAsync<AutomationNotFoundException>(() => harness.Tester.TestIntegrationAsync(new AutomationActor("mallory"), "whk_missing"));

        Assert.Equal(missing.Message, ex.Message);
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task A_viewer_who_may_not_manage_integrations_is_denied_and_nothing_is_sent()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var authorizer = Substitute.For<IAutomationAuthorizer>();
        authorizer.IsAllowedAsync(Arg.Any<AutomationActor>(), Arg.Any<AutomationPermission>(), Team, Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(call.ArgAt<AutomationPermission>(1) == AutomationPermission.ViewAutomations));
        await using var harness = new Harness(authorizer);
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"));

        var ex = await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => harness.Tester.TestIntegrationAsync(new AutomationActor("viewer"), integration.Id));

        Assert.Equal(nameof(AutomationPermission.ManageIntegrations), ex.Permission);
        Assert.Equal(0, receiver.Connections);
        await authorizer.Received().IsAllowedAsync(Arg.Is<AutomationActor>(a => a.UserName == "viewer"), AutomationPermission.ManageIntegrations, Team, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task An_admin_of_the_team_is_allowed()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var authorizer = Substitute.For<IAutomationAuthorizer>();
        authorizer.IsAllowedAsync(Arg.Is<AutomationActor>(a => a.UserName == "alice"), Arg.Any<AutomationPermission>(), Team, Arg.Any<CancellationToken>())
            .Returns(ValueTask.FromResult(true));
        await using var harness = new Harness(authorizer);
        var integration = await harness.AddIntegrationAsync(receiver.Url("/hook"));

        var result = await harness.Tester.TestIntegrationAsync(Admin, integration.Id);

        Assert.True(result.IsSuccess);
        Assert.Single(receiver.Requests);
    }

    // ---- registration and the sample ----

    [Fact]
    public async Task AddAutomations_registers_one_tester()
    {
        var services = new ServiceCollection();
        services.AddAutomations();
        services.AddAutomations();
        await using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(WebhookTester));
        Assert.Same(provider.GetRequiredService<WebhookTester>(), provider.GetRequiredService<WebhookTester>());
    }

    [Fact]
    public void Sample_context_describes_a_link_artifact_event_of_the_team()
    {
        var context = WebhookTester.CreateSampleContext("acme", "alice");

        Assert.Equal("LINK_ARTIFACT", context.EventType);
        Assert.Equal("alice", context.EventAuthor);
        Assert.Equal("acme", context.EntityName);
        Assert.Equal("acme/sample-project/sample-dataset:v0", context.ArtifactVersionString);
        Assert.Equal("sample-user", WebhookTester.CreateSampleContext("acme").EventAuthor);
        Assert.Throws<ArgumentNullException>(() => WebhookTester.CreateSampleContext(null!));
    }
}
