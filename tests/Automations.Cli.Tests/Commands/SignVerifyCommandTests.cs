using System.Text;

namespace Automations.Cli.Tests.Commands;

public sealed class SignVerifyCommandTests : IDisposable
{
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string StandardId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string StandardSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private readonly string _directory = Directory.CreateTempSubdirectory("automations-sign-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PayloadFile(string text)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text)); // exact bytes, no trailing newline
        return path;
    }

    private static Dictionary<string, string> Headers(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    [Fact]
    public async Task Sign_wandb_is_the_default_and_matches_openssl()
    {
        var payload = PayloadFile("{\"key1\": \"value1\", \"key2\": \"value2\"}");

        var (code, output, error) = await CliRunner.RunAsync("sign", "--secret", "your_api_secret", "--payload", payload);

        Assert.Equal(0, code);
        Assert.Equal("X-Wandb-Signature: 4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8U=", output.Trim());
        Assert.Empty(error);
    }

    [Fact]
    public async Task Sign_standard_prints_the_three_headers_of_the_published_vector()
    {
        var payload = PayloadFile("{\"test\": 2432232314}");

        var (code, output, _) = await CliRunner.RunAsync(
            "sign", "--scheme", "standard", "--secret", StandardSecret, "--id", StandardId, "--timestamp", "1614265330", "--payload", payload);

        Assert.Equal(0, code);
        Assert.Equal(
            ["webhook-id: " + StandardId, "webhook-timestamp: 1614265330", "webhook-signature: " + StandardSignature],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Sign_standard_defaults_to_a_new_id_and_now_and_verify_accepts_it_with_the_clock()
    {
        var payload = PayloadFile("{\"event_type\":\"LINK_ARTIFACT\"}");

        var (signCode, output, _) = await CliRunner.RunAsync("sign", "--scheme", "standard", "--secret", StandardSecret, "--payload", payload);
        var headers = Headers(output);

        Assert.Equal(0, signCode);
        Assert.Matches("^msg_[0-9a-f]{32}$", headers["webhook-id"]);
        Assert.Matches("^[0-9]+$", headers["webhook-timestamp"]);

        var (code, verified, error) = await CliRunner.RunAsync(
            ["verify", "--scheme", "standard", "--secret", StandardSecret, "--payload", payload,
             .. headers.SelectMany(h => new[] { "--header", $"{h.Key}: {h.Value}" })]);
        Assert.True(code == 0, error);
        Assert.Equal("valid", verified.Trim());
    }

    [Fact]
    public async Task Sign_then_verify_round_trip_for_wandb()
    {
        var payload = PayloadFile("{\"alias\": \"production\"}");
        var (_, output, _) = await CliRunner.RunAsync("sign", "--secret", "team-secret", "--payload", payload);

        var (code, verified, _) = await CliRunner.RunAsync("verify", "--secret", "team-secret", "--header", output.Trim(), "--payload", payload);
        var (wrongCode, _, wrongError) = await CliRunner.RunAsync("verify", "--secret", "other-secret", "--header", output.Trim(), "--payload", payload);

        Assert.Equal(0, code);
        Assert.Equal("valid", verified.Trim());
        Assert.Equal(1, wrongCode);
        Assert.Contains("InvalidSignature", wrongError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_rotation_signs_with_two_secrets_and_accepts_either()
    {
        var payload = PayloadFile("{}");
        var other = "whsec_" + Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var (_, output, _) = await CliRunner.RunAsync(
            "sign", "--scheme", "standard", "--secret", other, "--secret", StandardSecret, "--id", "msg_1", "--timestamp", "1700000000", "--payload", payload);
        var headers = Headers(output);
        Assert.Equal(2, headers["webhook-signature"].Split(' ').Length);

        var (code, _, error) = await CliRunner.RunAsync(
            ["verify", "--scheme", "standard", "--secret", StandardSecret, "--now", "1700000100", "--payload", payload,
             .. headers.SelectMany(h => new[] { "--header", $"{h.Key}: {h.Value}" })]);
        Assert.True(code == 0, error);
    }

    [Theory]
    [InlineData("1614265630", 0, null)] // +300 s: at the edge
    [InlineData("1614265631", 1, "TimestampTooOld")]
    [InlineData("1614265029", 1, "TimestampTooNew")]
    public async Task Verify_standard_checks_the_timestamp_against_now(string now, int expected, string? reason)
    {
        var payload = PayloadFile("{\"test\": 2432232314}");

        var (code, output, error) = await CliRunner.RunAsync(
            "verify", "--scheme", "standard", "--secret", StandardSecret, "--now", now, "--payload", payload,
            "--header", "webhook-id: " + StandardId, "--header", "Webhook-Timestamp: 1614265330", "--header", "webhook-signature: " + StandardSignature);

        Assert.Equal(expected, code);
        if (reason is null)
        {
            Assert.Equal("valid", output.Trim());
        }
        else
        {
            Assert.Contains(reason, error, StringComparison.Ordinal);
            Assert.Empty(output);
        }
    }

    [Fact]
    public async Task Verify_tolerance_option_widens_the_window()
    {
        var payload = PayloadFile("{\"test\": 2432232314}");

        var (code, _, _) = await CliRunner.RunAsync(
            "verify", "--scheme", "standard", "--secret", StandardSecret, "--now", "1614269330", "--tolerance", "4000", "--payload", payload,
            "--header", "webhook-id: " + StandardId, "--header", "webhook-timestamp: 1614265330", "--header", "webhook-signature: " + StandardSignature);

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Verify_reports_a_missing_header_as_invalid_not_as_usage()
    {
        var payload = PayloadFile("{\"test\": 2432232314}");

        var (code, _, error) = await CliRunner.RunAsync(
            "verify", "--scheme", "standard", "--secret", StandardSecret, "--now", "1614265330", "--payload", payload,
            "--header", "webhook-id: " + StandardId, "--header", "webhook-signature: " + StandardSignature);

        Assert.Equal(1, code);
        Assert.Contains("MissingHeader", error, StringComparison.Ordinal);
        Assert.Contains("webhook-timestamp", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_a_tampered_payload_is_invalid()
    {
        var payload = PayloadFile("{\"test\": 2432232315}");

        var (code, output, error) = await CliRunner.RunAsync(
            "verify", "--scheme", "standard", "--secret", StandardSecret, "--now", "1614265330", "--payload", payload,
            "--header", "webhook-id: " + StandardId, "--header", "webhook-timestamp: 1614265330", "--header", "webhook-signature: " + StandardSignature);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("InvalidSignature", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_bad_usage_exits_2()
    {
        var payload = PayloadFile("{}");

        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", "s")).ExitCode); // no --payload
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--payload", payload)).ExitCode); // no --secret
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", "s", "--payload", Path.Combine(_directory, "missing.json"))).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", "s", "--payload", _directory)).ExitCode); // a directory
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", "s", "--scheme", "sha1", "--payload", payload)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", "s", "--secret", "t", "--payload", payload)).ExitCode); // W&B: one secret
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", "s", "--scheme", "standard", "--timestamp", "soon", "--payload", payload)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", StandardSecret, "--scheme", "standard", "--timestamp", "-5", "--payload", payload)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("sign", "--secret", StandardSecret, "--scheme", "standard", "--id", "a.b", "--payload", payload)).ExitCode);
    }

    [Fact]
    public async Task Sign_with_a_bad_standard_secret_exits_2_without_echoing_it()
    {
        var payload = PayloadFile("{}");

        var (code, output, error) = await CliRunner.RunAsync("sign", "--scheme", "standard", "--secret", "my-pass-phrase", "--payload", payload);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("--secret[0]:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("my-pass-phrase", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no colon here")]
    [InlineData(": value without name")]
    [InlineData("bad name: value")]
    public async Task Verify_bad_header_syntax_exits_2(string header)
    {
        var payload = PayloadFile("{}");

        var (code, _, error) = await CliRunner.RunAsync("verify", "--secret", "s", "--header", header, "--payload", payload);

        Assert.Equal(2, code);
        Assert.Contains("--header", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_other_bad_usage_exits_2()
    {
        var payload = PayloadFile("{}");
        const string h = "X-Wandb-Signature: 4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8U=";

        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--secret", "s", "--header", h)).ExitCode); // no --payload
        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--secret", "s", "--header", h, "--payload", Path.Combine(_directory, "nope"))).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--secret", "s", "--header", h, "--header", h, "--payload", payload)).ExitCode); // repeated
        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--secret", "", "--header", h, "--payload", payload)).ExitCode); // empty secret
        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--scheme", "standard", "--secret", "short", "--header", h, "--payload", payload)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--scheme", "standard", "--secret", StandardSecret, "--tolerance", "-1", "--header", h, "--payload", payload)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("verify", "--scheme", "standard", "--secret", StandardSecret, "--now", "later", "--header", h, "--payload", payload)).ExitCode);
    }
}
