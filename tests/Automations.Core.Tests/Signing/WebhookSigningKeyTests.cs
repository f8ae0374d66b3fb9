using Automations.Core.Domain;
using Automations.Core.Signing;

namespace Automations.Core.Tests.Signing;

public class WebhookSigningKeyTests
{
    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // padded form needs no '=' here (24 bytes)
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // no prefix: decoded as base64, like the reference libraries
    public void Standard_secret_with_or_without_prefix_signs_the_published_vector(string secret)
    {
        var signer = new WebhookSigner([WebhookSigningKey.ForStandardWebhooks(secret)]);

        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, SigningTestData.Utf8(SigningTestData.StandardPayload));

        Assert.Equal(SigningTestData.StandardExpectedSignature, headers.WebhookSignature);
    }

    [Fact]
    public void Padded_and_unpadded_base64_give_the_same_key()
    {
        // 25 bytes -> base64 ends with "==" when padded.
        var raw = Enumerable.Range(1, 25).Select(i => (byte)(i * 7)).ToArray();
        var padded = "whsec_" + Convert.ToBase64String(raw);
        Assert.EndsWith("==", padded, StringComparison.Ordinal);
        var unpadded = padded.TrimEnd('=');
        var body = SigningTestData.Utf8("{}");
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var a = new WebhookSigner([WebhookSigningKey.ForStandardWebhooks(padded)]).Sign("msg_1", time, body);
        var b = new WebhookSigner([WebhookSigningKey.ForStandardWebhooks(unpadded)]).Sign("msg_1", time, body);
        var c = new WebhookSigner([WebhookSigningKey.ForStandardWebhooks(raw)]).Sign("msg_1", time, body);

        Assert.Equal(a.WebhookSignature, b.WebhookSignature);
        Assert.Equal(a.WebhookSignature, c.WebhookSignature);
    }

    [Theory]
    [InlineData("whsec_")] // nothing after the prefix
    [InlineData("whsec_not base64 at all!!")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjU PD8ILPZIo2LaLaSw")] // whitespace inside (Convert would have ignored it)
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS")] // 31 chars decode to 23 bytes: too short
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=")] // padding where none is due
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-_")] // URL-safe alphabet is not base64
    [InlineData("c2hvcnQ=")] // "short": valid base64, 5 bytes
    [InlineData("my-wandb-passphrase")]
    public void Invalid_standard_secrets_are_refused_without_echoing_the_secret(string secret)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookSigningKey.ForStandardWebhooks(secret));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("secret", problem.Path);
        var secretBody = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret;
        if (secretBody.Length > 3)
        {
            Assert.DoesNotContain(secretBody, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Thirty_one_base64_chars_decode_to_23_bytes_which_is_below_the_minimum()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookSigningKey.ForStandardWebhooks("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"));
        Assert.Contains("23 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(23, false)]
    [InlineData(24, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Standard_key_length_bounds_follow_the_specification(int length, bool accepted)
    {
        var raw = new byte[length];
        if (accepted)
        {
            Assert.Equal(WebhookSigningScheme.StandardWebhooks, WebhookSigningKey.ForStandardWebhooks(raw).Scheme);
        }
        else
        {
            Assert.Throws<AutomationValidationException>(() => WebhookSigningKey.ForStandardWebhooks(raw));
        }
    }

    [Fact]
    public void Empty_wandb_secret_is_refused()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookSigningKey.ForWandb(""));
        Assert.Equal("secret", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Null_secret_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => WebhookSigningKey.ForWandb(null!));
        Assert.Throws<ArgumentNullException>(() => WebhookSigningKey.ForStandardWebhooks((string)null!));
    }

    [Theory]
    [InlineData(WebhookSigningScheme.None)]
    [InlineData(WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks)]
    public void Create_needs_exactly_one_scheme(WebhookSigningScheme scheme)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookSigningKey.Create(scheme, SigningTestData.StandardSecret));
        Assert.Equal("scheme", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Create_dispatches_on_the_scheme()
    {
        Assert.Equal(WebhookSigningScheme.Wandb, WebhookSigningKey.Create(WebhookSigningScheme.Wandb, "s").Scheme);
        Assert.Equal(
            WebhookSigningScheme.StandardWebhooks,
            WebhookSigningKey.Create(WebhookSigningScheme.StandardWebhooks, SigningTestData.StandardSecret).Scheme);
    }

    [Fact]
    public void ToString_is_redacted()
    {
        var wandb = WebhookSigningKey.ForWandb("super-secret-value");
        var standard = WebhookSigningKey.ForStandardWebhooks(SigningTestData.StandardSecret);

        Assert.DoesNotContain("super-secret-value", wandb.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", wandb.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", standard.ToString(), StringComparison.Ordinal);
        Assert.Contains("StandardWebhooks", standard.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_secrets_are_valid_distinct_whsec_secrets()
    {
        var a = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var b = WebhookSigningKey.GenerateStandardWebhooksSecret();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(32, Convert.FromBase64String(a[6..]).Length);
        Assert.Equal(WebhookSigningScheme.StandardWebhooks, WebhookSigningKey.ForStandardWebhooks(a).Scheme);
    }
}
