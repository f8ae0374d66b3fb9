using Automations.Core.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Automations.Core.Tests.Signing;

/// <summary>
/// Cross-checks against the StandardWebhooks 1.1.2 NuGet package (Codefactors). Its Verify reads the system clock
/// (±300 s, not injectable), so the tests that call it sign with the current time.
/// </summary>
public class StandardWebhooksPackageInteropTests
{
    private static readonly byte[] Body = SigningTestData.Utf8(SigningTestData.StandardPayload);

    [Fact]
    public void Package_signs_the_published_vector_the_same_way_we_do()
    {
        var theirs = new StandardWebhook(SigningTestData.StandardSecret)
            .Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, SigningTestData.StandardPayload);
        var ours = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret])
            .Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, Body);

        Assert.Equal(SigningTestData.StandardExpectedSignature, theirs);
        Assert.Equal(theirs, ours.WebhookSignature);
    }

    [Fact]
    public void Our_signatures_pass_the_packages_Verify()
    {
        var secret = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var payload = "{\"event_type\":\"LINK_ARTIFACT\",\"alias\":\"production\",\"note\":\"ünïcödé\"}";
        var headers = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [secret])
            .Sign(WebhookSigner.NewMessageId(), DateTimeOffset.UtcNow, SigningTestData.Utf8(payload));
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        var exception = Record.Exception(() => new StandardWebhook(secret).Verify(payload, dictionary));

        Assert.Null(exception);
    }

    [Fact]
    public void The_package_rejects_a_signature_we_made_with_another_key()
    {
        var headers = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [WebhookSigningKey.GenerateStandardWebhooksSecret()])
            .Sign("msg_1", DateTimeOffset.UtcNow, Body);
        var dictionary = new HeaderDictionary
        {
            ["webhook-id"] = headers.WebhookId,
            ["webhook-timestamp"] = headers.WebhookTimestamp,
            ["webhook-signature"] = headers.WebhookSignature,
        };

        Assert.Throws<WebhookVerificationException>(() =>
            new StandardWebhook(SigningTestData.StandardSecret).Verify(SigningTestData.StandardPayload, dictionary));
    }

    [Fact]
    public void The_packages_signatures_pass_our_verifier()
    {
        var secret = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var sent = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
        var payload = "{\"hello\":\"wörld\"}";
        var signature = new StandardWebhook(secret).Sign("msg_abc", sent, payload);
        var verifier = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(secret)], new FakeTimeProvider(sent.AddSeconds(299)));

        var result = verifier.Verify(SigningTestData.Utf8(payload), "msg_abc", "1750000000", signature);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Regression_a_valid_signature_in_last_position_the_package_misses_we_accept()
    {
        // StandardWebhooks 1.1.2 slices the whole header instead of the remainder for the last entry, so a valid
        // signature after another entry is never matched. Ours must match it.
        var secret = SigningTestData.StandardSecret;
        var now = DateTimeOffset.UtcNow;
        var valid = new StandardWebhook(secret).Sign("msg_last", now, SigningTestData.StandardPayload);
        var header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + valid;
        var unix = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var dictionary = new HeaderDictionary
        {
            ["webhook-id"] = "msg_last",
            ["webhook-timestamp"] = unix,
            ["webhook-signature"] = header,
        };

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(SigningTestData.StandardPayload, dictionary));

        var ours = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(secret)], new FakeTimeProvider(now));
        Assert.True(ours.Verify(Body, "msg_last", unix, header).IsValid);
    }

    [Fact]
    public void Regression_a_malformed_entry_is_fatal_for_the_package_but_skipped_by_us()
    {
        var now = DateTimeOffset.UtcNow;
        var valid = new StandardWebhook(SigningTestData.StandardSecret).Sign("msg_m", now, SigningTestData.StandardPayload);
        var header = "garbage " + valid + " v1,x";
        var unix = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var dictionary = new HeaderDictionary
        {
            ["webhook-id"] = "msg_m",
            ["webhook-timestamp"] = unix,
            ["webhook-signature"] = header,
        };

        Assert.Throws<WebhookVerificationException>(() =>
            new StandardWebhook(SigningTestData.StandardSecret).Verify(SigningTestData.StandardPayload, dictionary));

        var ours = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(SigningTestData.StandardSecret)], new FakeTimeProvider(now));
        Assert.True(ours.Verify(Body, "msg_m", unix, header).IsValid);
    }
}
