using Automations.Core.Domain;
using Automations.Core.Signing;

namespace Automations.Core.Tests.Signing;

public class WandbSignatureVerifierTests
{
    private static readonly byte[] Body = SigningTestData.Utf8(SigningTestData.WandbPayload);

    [Fact]
    public void The_openssl_recipe_signature_verifies()
    {
        var result = new WandbSignatureVerifier(SigningTestData.WandbSecret).Verify(Body, SigningTestData.WandbExpectedSignature);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Round_trip_with_the_signer()
    {
        var headers = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, ["s3cr3t ünïcode"]).Sign("x", default, Body);
        Assert.True(new WandbSignatureVerifier("s3cr3t ünïcode").Verify(Body, headers.WandbSignature).IsValid);
        Assert.Equal(WebhookVerificationStatus.InvalidSignature, new WandbSignatureVerifier("s3cr3t unicode").Verify(Body, headers.WandbSignature).Status);
    }

    [Fact]
    public void One_changed_byte_fails()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;
        Assert.Equal(WebhookVerificationStatus.InvalidSignature,
            new WandbSignatureVerifier(SigningTestData.WandbSecret).Verify(tampered, SigningTestData.WandbExpectedSignature).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_header(string? header)
    {
        var result = new WandbSignatureVerifier(SigningTestData.WandbSecret).Verify(Body, header);
        Assert.Equal(WebhookVerificationStatus.MissingHeader, result.Status);
        Assert.Equal("X-Wandb-Signature", result.HeaderName);
    }

    [Theory]
    [InlineData("not base64")]
    [InlineData("AAAA")]
    [InlineData("4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8")] // truncated
    public void Unreadable_header_is_malformed(string header)
        => Assert.Equal(WebhookVerificationStatus.MalformedHeader,
            new WandbSignatureVerifier(SigningTestData.WandbSecret).Verify(Body, header).Status);

    [Theory]
    [InlineData(" 4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8U= ")]
    [InlineData("garbage 4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8U=")]
    [InlineData("Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= 4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8U=")]
    public void Whitespace_and_lists_are_tolerated(string header)
        => Assert.True(new WandbSignatureVerifier(SigningTestData.WandbSecret).Verify(Body, header).IsValid);

    [Fact]
    public void Receiver_side_rotation_accepts_any_configured_secret()
    {
        var verifier = new WandbSignatureVerifier([WebhookSigningKey.ForWandb("new-secret"), WebhookSigningKey.ForWandb(SigningTestData.WandbSecret)]);
        Assert.True(verifier.Verify(Body, SigningTestData.WandbExpectedSignature).IsValid);
        Assert.DoesNotContain("new-secret", verifier.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_of_the_other_scheme_are_refused()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new WandbSignatureVerifier([WebhookSigningKey.ForStandardWebhooks(SigningTestData.StandardSecret)]));
        Assert.Equal("keys[0]", Assert.Single(ex.Problems).Path);
    }
}
