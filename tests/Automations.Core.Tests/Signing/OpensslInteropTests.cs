using System.Diagnostics;
using Automations.Core.Signing;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Signing;

/// <summary>The shell recipes of docs/signing.md, run for real with openssl.</summary>
public class OpensslInteropTests
{
    private static async Task<string> BashAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return (await output).Trim();
    }

    [OpensslFact]
    public async Task Wandb_signature_is_byte_identical_to_the_seed_openssl_recipe()
    {
        // Payload with spaces, quotes, a backslash, non-ASCII and no trailing newline; a secret with spaces and '$'.
        const string payload = "{\"event_type\": \"ADD_ARTIFACT_ALIAS\", \"alias\": \"prod\\\\v2\", \"who\": \"Zoë\"}";
        const string secret = "team secret $with spaces";

        var expected = await BashAsync(
            "echo -n \"$PAYLOAD\" | openssl dgst -sha256 -hmac \"$SECRET\" -binary | base64",
            new Dictionary<string, string> { ["PAYLOAD"] = payload, ["SECRET"] = secret });
        var ours = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, [secret]).Sign("x", default, SigningTestData.Utf8(payload));

        Assert.Equal(expected, ours.WandbSignature);
        Assert.True(new WandbSignatureVerifier(secret).Verify(SigningTestData.Utf8(payload), expected).IsValid);
    }

    [OpensslFact]
    public async Task Standard_signature_matches_the_documented_openssl_recipe()
    {
        const string payload = "{\"event_type\": \"LINK_ARTIFACT\", \"n\": 1}";
        var secret = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var headers = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [secret])
            .Sign("msg_openssl", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), SigningTestData.Utf8(payload));

        var expected = await BashAsync(
            """
            KEY_HEX=$(printf '%s' "${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \n')
            printf '%s.%s.%s' "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP" "$PAYLOAD" \
              | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY_HEX" -binary | base64
            """,
            new Dictionary<string, string>
            {
                ["PAYLOAD"] = payload,
                ["SECRET"] = secret,
                ["WEBHOOK_ID"] = headers.WebhookId!,
                ["WEBHOOK_TIMESTAMP"] = headers.WebhookTimestamp!,
            });

        Assert.Equal("v1," + expected, headers.WebhookSignature);
        var verifier = new StandardWebhooksVerifier(
            [WebhookSigningKey.ForStandardWebhooks(secret)], new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        Assert.True(verifier.Verify(SigningTestData.Utf8(payload), "msg_openssl", "1700000000", "v1," + expected).IsValid);
    }
}
