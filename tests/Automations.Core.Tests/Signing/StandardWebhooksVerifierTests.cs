using Automations.Core.Domain;
using Automations.Core.Signing;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Signing;

public class StandardWebhooksVerifierTests
{
    private const string Valid = SigningTestData.StandardExpectedSignature;
    private const string OtherV1 = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    private static readonly byte[] Body = SigningTestData.Utf8(SigningTestData.StandardPayload);

    private static StandardWebhooksVerifier VerifierAt(DateTimeOffset now, TimeSpan? tolerance = null) =>
        new([WebhookSigningKey.ForStandardWebhooks(SigningTestData.StandardSecret)], new FakeTimeProvider(now), tolerance);

    private static WebhookVerificationResult VerifyVector(string signatureHeader, DateTimeOffset? now = null) =>
        VerifierAt(now ?? SigningTestData.StandardTime)
            .Verify(Body, SigningTestData.StandardMessageId, SigningTestData.StandardTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signatureHeader);

    [Fact]
    public void Published_vector_verifies()
    {
        var result = VerifyVector(Valid);

        Assert.True(result.IsValid);
        Assert.Equal(WebhookVerificationStatus.Valid, result.Status);
        Assert.Null(result.HeaderName);
    }

    [Fact]
    public void A_changed_body_id_or_timestamp_fails()
    {
        var verifier = VerifierAt(SigningTestData.StandardTime);

        Assert.Equal(WebhookVerificationStatus.InvalidSignature,
            verifier.Verify(SigningTestData.Utf8("{\"test\": 2432232315}"), SigningTestData.StandardMessageId, "1614265330", Valid).Status);
        Assert.Equal(WebhookVerificationStatus.InvalidSignature,
            verifier.Verify(Body, "msg_other", "1614265330", Valid).Status);
        Assert.Equal(WebhookVerificationStatus.InvalidSignature,
            verifier.Verify(Body, SigningTestData.StandardMessageId, "1614265331", Valid).Status);
    }

    [Theory]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= " + OtherV1 + " " + OtherV1)] // first
    [InlineData(OtherV1 + " v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= " + OtherV1)] // middle
    [InlineData(OtherV1 + " " + OtherV1 + " v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // last
    [InlineData(OtherV1 + " v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // last of two
    [InlineData("  v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=  ")] // surrounding and doubled spaces
    public void A_valid_signature_anywhere_in_the_list_passes(string header)
        => Assert.True(VerifyVector(header).IsValid);

    [Theory]
    [InlineData("garbage v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // no comma
    [InlineData("v1, v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // empty signature
    [InlineData(",abc v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // empty version
    [InlineData("v1,not-base64!! v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // truncated
    [InlineData("v1,AAAA v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,ZZZZ")] // wrong length, both sides
    public void Malformed_entries_are_skipped_not_fatal(string header)
        => Assert.True(VerifyVector(header).IsValid);

    [Theory]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData(OtherV1)]
    [InlineData(OtherV1 + " v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= garbage")]
    public void Other_versions_are_ignored_and_a_wrong_v1_fails(string header)
    {
        var result = VerifyVector(header);
        Assert.Equal(WebhookVerificationStatus.InvalidSignature, result.Status);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("v1,")]
    [InlineData("v1,AAAA garbage ,x")]
    public void A_header_with_no_readable_entry_is_malformed(string header)
    {
        var result = VerifyVector(header);
        Assert.Equal(WebhookVerificationStatus.MalformedHeader, result.Status);
        Assert.Equal("webhook-signature", result.HeaderName);
    }

    [Theory]
    [InlineData(-300, WebhookVerificationStatus.Valid)]
    [InlineData(-301, WebhookVerificationStatus.TimestampTooNew)]
    [InlineData(300, WebhookVerificationStatus.Valid)]
    [InlineData(301, WebhookVerificationStatus.TimestampTooOld)]
    [InlineData(0, WebhookVerificationStatus.Valid)]
    public void Tolerance_edges_are_inclusive_at_300_seconds(int nowMinusTimestamp, WebhookVerificationStatus expected)
    {
        var now = SigningTestData.StandardTime.AddSeconds(nowMinusTimestamp);
        Assert.Equal(expected, VerifyVector(Valid, now).Status);
    }

    [Fact]
    public void One_millisecond_beyond_the_tolerance_fails()
    {
        Assert.Equal(WebhookVerificationStatus.TimestampTooOld,
            VerifyVector(Valid, SigningTestData.StandardTime.AddSeconds(300).AddMilliseconds(1)).Status);
        Assert.Equal(WebhookVerificationStatus.TimestampTooNew,
            VerifyVector(Valid, SigningTestData.StandardTime.AddSeconds(-300).AddMilliseconds(-1)).Status);
    }

    [Fact]
    public void The_clock_is_read_at_every_verification()
    {
        var time = new FakeTimeProvider(SigningTestData.StandardTime);
        var verifier = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(SigningTestData.StandardSecret)], time);

        Assert.True(verifier.Verify(Body, SigningTestData.StandardMessageId, "1614265330", Valid).IsValid);
        time.Advance(TimeSpan.FromSeconds(301));
        var result = verifier.Verify(Body, SigningTestData.StandardMessageId, "1614265330", Valid);

        Assert.Equal(WebhookVerificationStatus.TimestampTooOld, result.Status);
        Assert.Equal("webhook-timestamp", result.HeaderName);
        Assert.Contains("300 s", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_tolerance_is_honoured()
    {
        var now = SigningTestData.StandardTime.AddSeconds(11);
        Assert.Equal(WebhookVerificationStatus.TimestampTooOld, VerifierAt(now, TimeSpan.FromSeconds(10))
            .Verify(Body, SigningTestData.StandardMessageId, "1614265330", Valid).Status);
        Assert.True(VerifierAt(now, TimeSpan.FromSeconds(11))
            .Verify(Body, SigningTestData.StandardMessageId, "1614265330", Valid).IsValid);
    }

    [Fact]
    public void Timestamp_is_checked_before_the_signature()
    {
        var result = VerifyVector(OtherV1, SigningTestData.StandardTime.AddHours(1));
        Assert.Equal(WebhookVerificationStatus.TimestampTooOld, result.Status);
    }

    [Theory]
    [InlineData(null, "1614265330", Valid, "webhook-id")]
    [InlineData("", "1614265330", Valid, "webhook-id")]
    [InlineData(SigningTestData.StandardMessageId, null, Valid, "webhook-timestamp")]
    [InlineData(SigningTestData.StandardMessageId, " ", Valid, "webhook-timestamp")]
    [InlineData(SigningTestData.StandardMessageId, "1614265330", null, "webhook-signature")]
    [InlineData(SigningTestData.StandardMessageId, "1614265330", "", "webhook-signature")]
    public void Missing_headers_are_reported_by_name(string? id, string? timestamp, string? signature, string header)
    {
        var result = VerifierAt(SigningTestData.StandardTime).Verify(Body, id, timestamp, signature);

        Assert.Equal(WebhookVerificationStatus.MissingHeader, result.Status);
        Assert.Equal(header, result.HeaderName);
        Assert.Contains(header, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1614265330")]
    [InlineData("+1614265330")]
    [InlineData("1614265330.5")]
    [InlineData("99999999999999999999999")]
    [InlineData("253402300800")] // one second past DateTimeOffset.MaxValue
    public void Unreadable_timestamps_are_malformed(string timestamp)
    {
        var result = VerifierAt(SigningTestData.StandardTime).Verify(Body, SigningTestData.StandardMessageId, timestamp, Valid);

        Assert.Equal(WebhookVerificationStatus.MalformedHeader, result.Status);
        Assert.Equal("webhook-timestamp", result.HeaderName);
    }

    [Fact]
    public void Rotation_any_of_the_receivers_keys_may_match()
    {
        var newSecret = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var oldKey = WebhookSigningKey.ForStandardWebhooks(SigningTestData.StandardSecret);
        var newKey = WebhookSigningKey.ForStandardWebhooks(newSecret);
        var time = new FakeTimeProvider(SigningTestData.StandardTime);

        // The sender signs with the new key only; a receiver still holding old and new accepts it.
        var headers = new WebhookSigner([newKey]).Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, Body);
        var both = new StandardWebhooksVerifier([oldKey, newKey], time);
        var oldOnly = new StandardWebhooksVerifier([oldKey], time);

        Assert.True(both.Verify(Body, headers.WebhookId, headers.WebhookTimestamp, headers.WebhookSignature).IsValid);
        Assert.Equal(WebhookVerificationStatus.InvalidSignature,
            oldOnly.Verify(Body, headers.WebhookId, headers.WebhookTimestamp, headers.WebhookSignature).Status);
    }

    [Fact]
    public void Rotation_a_sender_with_two_keys_satisfies_old_and_new_receivers()
    {
        var newSecret = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [newSecret, SigningTestData.StandardSecret]);
        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, Body);
        var time = new FakeTimeProvider(SigningTestData.StandardTime);

        foreach (var secret in new[] { newSecret, SigningTestData.StandardSecret })
        {
            var verifier = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(secret)], time);
            Assert.True(verifier.Verify(Body, headers.WebhookId, headers.WebhookTimestamp, headers.WebhookSignature).IsValid);
        }
    }

    [Fact]
    public void Large_bodies_and_long_ids_verify()
    {
        var body = new byte[256 * 1024];
        new Random(42).NextBytes(body);
        var id = new string('x', WebhookSigner.MaxMessageIdLength);
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);
        var headers = signer.Sign(id, SigningTestData.StandardTime, body);

        Assert.True(VerifierAt(SigningTestData.StandardTime).Verify(body, id, headers.WebhookTimestamp, headers.WebhookSignature).IsValid);

        // A receiver may get an id longer than we send (other senders); it still verifies via the pooled buffer.
        var longId = new string('y', 2_000);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(
            Convert.FromBase64String(SigningTestData.StandardSecret[6..]),
            SigningTestData.Utf8(longId + ".1614265330.").Concat(body).ToArray());
        Assert.True(VerifierAt(SigningTestData.StandardTime).Verify(body, longId, "1614265330", "v1," + Convert.ToBase64String(mac)).IsValid);
    }

    [Fact]
    public void Constructor_checks_keys_and_tolerance_together()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new StandardWebhooksVerifier([WebhookSigningKey.ForWandb("x")], tolerance: TimeSpan.FromSeconds(-1)));

        Assert.Equal(["tolerance", "keys[0]"], ex.Problems.Select(p => p.Path).ToArray());
        Assert.Throws<AutomationValidationException>(() => new StandardWebhooksVerifier(Array.Empty<WebhookSigningKey>()));
    }

    [Fact]
    public void Defaults_are_300_seconds_and_redacted_text()
    {
        var verifier = new StandardWebhooksVerifier(SigningTestData.StandardSecret);

        Assert.Equal(TimeSpan.FromSeconds(300), verifier.Tolerance);
        Assert.Equal(StandardWebhooksVerifier.DefaultTolerance, verifier.Tolerance);
        Assert.DoesNotContain("MfKQ9r8", verifier.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Result_text_never_contains_the_signature()
    {
        var result = VerifyVector(OtherV1);
        Assert.DoesNotContain("Ceo5qEr07ixe", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("g0hM9SsE", result.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidSignature:", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_result_is_not_valid()
    {
        WebhookVerificationResult result = default;

        Assert.False(result.IsValid);
        Assert.Equal(WebhookVerificationStatus.None, result.Status);
        Assert.NotEmpty(result.Reason);
    }

    [Fact]
    public void A_huge_tolerance_does_not_overflow()
    {
        var verifier = VerifierAt(DateTimeOffset.MaxValue, TimeSpan.MaxValue);

        Assert.True(verifier.Verify(Body, SigningTestData.StandardMessageId, "1614265330", Valid).IsValid);
        Assert.True(VerifierAt(DateTimeOffset.UnixEpoch, TimeSpan.MaxValue)
            .Verify(Body, SigningTestData.StandardMessageId, "1614265330", Valid).IsValid);
    }
}
