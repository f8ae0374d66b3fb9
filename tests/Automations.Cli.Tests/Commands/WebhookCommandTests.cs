using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using Automations.Cli.Commands;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Automations.Cli.Tests.Commands;

public sealed class WebhookCommandTests : IDisposable
{
    private const string Secret = "cli-signing-secret-42";
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Token = "ghp_CliToken_0a1b2c";

    private readonly string _directory = Directory.CreateTempSubdirectory("webhook-test-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task Respond(HttpContext context, int status, string body = "", params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return context.Response.WriteAsync(body);
    }

    private static void AssertNotPrinted(string output, params string[] values)
    {
        foreach (var value in values)
        {
            Assert.DoesNotContain(value, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Success_exits_0_prints_the_answer_and_the_receiver_verifies_the_signature_and_token()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, "received", ("X-Receiver", "kestrel")));

        var (code, output, error) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(),
            "--secret-value", Secret, "--access-token", Token, "--allow-loopback");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("HTTP 200 OK", lines[0]);
        Assert.Contains("X-Receiver: kestrel", lines);
        Assert.Equal("received", lines[^2]);
        Assert.Contains("> X-Wandb-Signature: [redacted]", error, StringComparison.Ordinal);
        Assert.Contains("> Authorization: Bearer [redacted]", error, StringComparison.Ordinal);
        Assert.Contains("Succeeded (200)", error, StringComparison.Ordinal);

        var seen = Assert.Single(receiver.Requests);
        Assert.Equal("Bearer " + Token, seen.Headers["Authorization"]);
        var signature = seen.Headers[WebhookHeaderNames.WandbSignature];
        Assert.True(new WandbSignatureVerifier(Secret).Verify(seen.Body, signature).IsValid);
        AssertNotPrinted(output + error, Secret, Token, signature);
    }

    [Fact]
    public async Task Standard_scheme_is_verified_by_the_receiver()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 204));

        var (code, output, error) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(),
            "--secret-value", StandardSecret, "--scheme", "standard", "--allow-loopback");

        Assert.Equal(0, code);
        Assert.StartsWith("HTTP 204 No Content", output, StringComparison.Ordinal);
        var seen = Assert.Single(receiver.Requests);
        var verifier = new StandardWebhooksVerifier(StandardSecret);
        var verified = verifier.Verify(seen.Body, seen.Headers[WebhookHeaderNames.WebhookId], seen.Headers[WebhookHeaderNames.WebhookTimestamp],
            seen.Headers[WebhookHeaderNames.WebhookSignature]);
        Assert.True(verified.IsValid, verified.ToString());
        Assert.False(seen.Headers.ContainsKey(WebhookHeaderNames.WandbSignature));
        Assert.Contains($"> webhook-id: {seen.Headers[WebhookHeaderNames.WebhookId]}", error, StringComparison.Ordinal);
        AssertNotPrinted(output + error, StandardSecret, seen.Headers[WebhookHeaderNames.WebhookSignature]);
    }

    [Fact]
    public async Task Both_schemes_can_be_asked_for()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));

        var (code, _, _) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(),
            "--secret-value", StandardSecret, "--scheme", "standard", "--scheme", "wandb", "--allow-loopback");

        Assert.Equal(0, code);
        var seen = Assert.Single(receiver.Requests);
        Assert.True(new WandbSignatureVerifier(StandardSecret).Verify(seen.Body, seen.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        Assert.True(seen.Headers.ContainsKey(WebhookHeaderNames.WebhookSignature));
    }

    [Theory]
    [InlineData(302, "HTTP 302 Found")]
    [InlineData(404, "HTTP 404 Not Found")]
    [InlineData(410, "HTTP 410 Gone")]
    [InlineData(500, "HTTP 500 Internal Server Error")]
    [InlineData(503, "HTTP 503 Service Unavailable")]
    public async Task Non_2xx_answers_exit_1_and_still_print_the_answer(int status, string statusLine)
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, status, "why: " + status, ("Location", "/elsewhere")));

        var (code, output, _) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(), "--allow-loopback");

        Assert.Equal(1, code);
        Assert.StartsWith(statusLine + Environment.NewLine, output, StringComparison.Ordinal);
        Assert.Contains("why: " + status, output, StringComparison.Ordinal);
        Assert.Equal("/hook", Assert.Single(receiver.Requests).Target); // a redirect is never followed
    }

    [Fact]
    public async Task Loopback_without_allow_loopback_is_refused_exit_1_and_nothing_connects()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));

        var (code, output, error) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(),
            "--secret-value", Secret, "--access-token", Token);

        Assert.Equal(1, code);
        Assert.StartsWith("refused: Refused by the endpoint policy:", output, StringComparison.Ordinal);
        Assert.Equal(0, receiver.Connections);
        AssertNotPrinted(output + error, Secret, Token);
    }

    [Fact]
    public async Task A_host_name_resolving_to_a_private_address_is_refused_before_connecting()
    {
        var resolver = Substitute.For<IHostAddressResolver>();
        resolver.ResolveAsync("hooks.example.test", Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<IPAddress>>([IPAddress.Parse("10.1.2.3")]));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var command = WebhookCommand.Create(new CliContext(stdout, stderr), null, resolver);

        var code = await command.Parse(["test", "--url", "https://hooks.example.test/hook"]).InvokeAsync();

        Assert.Equal(1, code);
        Assert.Contains("refused", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("10.1.2.3", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_refused_exits_1()
    {
        int port;
        await using (var gone = await TestReceiver.StartAsync(c => Respond(c, 200)))
        {
            port = gone.Port;
        }

        var (code, output, _) = await CliRunner.RunAsync("webhook", "test", "--url", $"http://127.0.0.1:{port}/hook", "--allow-loopback");

        Assert.Equal(1, code);
        Assert.StartsWith("failed (ConnectionRefused):", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_exits_1()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var receiver = await TestReceiver.StartAsync(async c =>
        {
            arrived.TrySetResult();
            await never.Task.WaitAsync(c.RequestAborted);
        });
        var time = new FakeTimeProvider();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var command = WebhookCommand.Create(new CliContext(stdout, stderr), time, null);

        var run = command.Parse(["test", "--url", receiver.Url("/slow").ToString(), "--timeout", "2.5", "--allow-loopback"]).InvokeAsync();
        await arrived.Task;
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2.5));
        var code = await run;

        Assert.Equal(1, code);
        Assert.StartsWith("failed (Timeout): No response within the timeout of 2.5 s.", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_payload_the_github_dispatch_preset_for_a_sample_event_is_sent()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));

        var (code, _, _) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(), "--allow-loopback");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(Assert.Single(receiver.Requests).Body);
        Assert.Equal("BUILD_AND_DEPLOY", json.RootElement.GetProperty("event_type").GetString());
        Assert.Equal("sample-team", json.RootElement.GetProperty("client_payload").GetProperty("entity_name").GetString());
    }

    [Fact]
    public async Task Payload_file_is_sent_exactly_and_signed()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));
        var text = "{\n  \"event_type\": \"DEPLOY\",\n  \"note\": \"héllo\"\n}\n";
        var path = Path.Combine(_directory, "payload.json");
        await File.WriteAllTextAsync(path, text);

        var (code, _, _) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(), "--payload", path,
            "--secret-value", Secret, "--allow-loopback");

        Assert.Equal(0, code);
        var seen = Assert.Single(receiver.Requests);
        Assert.Equal(Encoding.UTF8.GetBytes(text), seen.Body);
        Assert.True(new WandbSignatureVerifier(Secret).Verify(seen.Body, seen.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
    }

    [Fact]
    public async Task Inline_payload_is_sent_exactly()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200));

        var (code, _, _) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/hook").ToString(), "--payload", """{"key1":"value1"}""", "--allow-loopback");

        Assert.Equal(0, code);
        Assert.Equal("""{"key1":"value1"}""", Encoding.UTF8.GetString(Assert.Single(receiver.Requests).Body));
    }

    [Fact]
    public async Task Response_body_is_capped()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, new string('y', WebhookDispatcherOptions.DefaultMaxResponseBodyBytes + 5000)));

        var (code, output, error) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/big").ToString(), "--allow-loopback");

        Assert.Equal(0, code);
        var body = output[(output.IndexOf(Environment.NewLine + Environment.NewLine, StringComparison.Ordinal) + (2 * Environment.NewLine.Length))..].TrimEnd();
        Assert.Equal(WebhookDispatcherOptions.DefaultMaxResponseBodyBytes, body.Length);
        Assert.Contains("(body truncated to its first 16384 bytes)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_an_endpoint_echoes_are_not_printed()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200,
            "you sent " + c.Request.Headers.Authorization, ("X-Echo", c.Request.Headers.Authorization.ToString())));

        var (code, output, error) = await CliRunner.RunAsync("webhook", "test", "--url", receiver.Url("/anything").ToString(),
            "--access-token", Token, "--allow-loopback");

        Assert.Equal(0, code);
        Assert.Contains("you sent Bearer [redacted]", output, StringComparison.Ordinal);
        Assert.Contains("X-Echo: Bearer [redacted]", output, StringComparison.Ordinal);
        AssertNotPrinted(output + error, Token);
    }

    [Theory]
    [InlineData("webhook", "test")] // --url is required
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--scheme", "sha1", "--secret-value", "s")]
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--timeout", "soon")]
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--timeout", "0")]
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--timeout", "601")]
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--scheme", "wandb")] // a scheme needs a secret
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--payload", "{\"a\":")]
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--payload", "/no/such/file.json")]
    [InlineData("webhook", "test", "--url", "https://hooks.example.com/", "--access-token", "has space")]
    [InlineData("webhook")] // no subcommand
    public async Task Bad_usage_exits_2(params string[] args)
    {
        var (code, output, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.NotEqual(string.Empty, error.Trim());
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task An_unusable_secret_is_bad_usage_and_is_not_printed()
    {
        const string bad = "plain-secret-not-whsec";
        var (code, output, error) = await CliRunner.RunAsync("webhook", "test", "--url", "https://hooks.example.com/",
            "--secret-value", bad, "--scheme", "standard", "--access-token", "tok en");

        Assert.Equal(2, code);
        Assert.Contains("--secret-value:", error, StringComparison.Ordinal);
        Assert.Contains("--access-token:", error, StringComparison.Ordinal);
        AssertNotPrinted(output + error, bad, "tok en");
    }

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(422, "Unprocessable Content")]
    [InlineData(599, null)]
    public void Reason_phrases_are_the_standard_ones(int status, string? phrase) => Assert.Equal(phrase, WebhookCommand.ReasonPhrase(status));
}
