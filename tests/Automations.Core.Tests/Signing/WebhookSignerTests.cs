using System.Net.Http.Headers;
using Automations.Core.Domain;
using Automations.Core.Signing;

namespace Automations.Core.Tests.Signing;

public class WebhookSignerTests
{
    private static readonly byte[] StandardBody = SigningTestData.Utf8(SigningTestData.StandardPayload);

    [Fact]
    public void Standard_webhooks_published_vector()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);

        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);

        Assert.Equal(SigningTestData.StandardExpectedSignature, headers.WebhookSignature);
        Assert.Equal(SigningTestData.StandardMessageId, headers.WebhookId);
        Assert.Equal("1614265330", headers.WebhookTimestamp);
        Assert.Null(headers.WandbSignature);
        Assert.Null(headers.Authorization);
        Assert.Equal(3, headers.Count);
    }

    [Fact]
    public void Wandb_signature_matches_the_openssl_recipe_vector()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, [SigningTestData.WandbSecret]);

        var headers = signer.Sign("ignored", DateTimeOffset.UnixEpoch, SigningTestData.Utf8(SigningTestData.WandbPayload));

        Assert.Equal(SigningTestData.WandbExpectedSignature, headers.WandbSignature);
        Assert.Equal(1, headers.Count);
        Assert.Null(headers.WebhookId);
        Assert.Null(headers.WebhookTimestamp);
        Assert.Null(headers.WebhookSignature);
    }

    [Fact]
    public void Sub_second_timestamps_are_truncated_to_whole_unix_seconds()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);

        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime.AddMilliseconds(999), StandardBody);

        Assert.Equal("1614265330", headers.WebhookTimestamp);
        Assert.Equal(SigningTestData.StandardExpectedSignature, headers.WebhookSignature);
    }

    [Fact]
    public void Both_schemes_and_an_access_token_give_five_headers_in_order()
    {
        var signer = WebhookSigner.FromSecrets(
            WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks,
            [SigningTestData.StandardSecret],
            accessToken: "ghp_token123");

        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);

        Assert.Equal(
            ["webhook-id", "webhook-timestamp", "webhook-signature", "X-Wandb-Signature", "Authorization"],
            headers.Select(h => h.Key).ToArray());
        Assert.Equal(5, headers.Count);
        Assert.Equal("Bearer ghp_token123", headers.Authorization);
        Assert.Equal(SigningTestData.StandardExpectedSignature, headers.WebhookSignature);

        // With both schemes, the W&B key is the whole secret string's UTF-8 bytes (W&B semantics).
        var wandbOnly = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, [SigningTestData.StandardSecret]);
        Assert.Equal(wandbOnly.Sign("x", default, StandardBody).WandbSignature, headers.WandbSignature);
        Assert.Equal(WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, signer.Schemes);
        Assert.True(signer.SendsAuthorization);
    }

    [Fact]
    public void A_signer_with_no_scheme_sends_only_the_bearer_token_or_nothing()
    {
        var none = WebhookSigner.FromSecrets(WebhookSigningScheme.None, []);
        var tokenOnly = WebhookSigner.FromSecrets(WebhookSigningScheme.None, [], "tok");

        Assert.Equal(0, none.Sign("m", default, StandardBody).Count);
        Assert.Empty(none.Sign("m", default, StandardBody));
        var only = Assert.Single(tokenOnly.Sign("m", default, StandardBody));
        Assert.Equal(new KeyValuePair<string, string>("Authorization", "Bearer tok"), only);
        Assert.Equal(WebhookSigningScheme.None, tokenOnly.Schemes);
    }

    [Fact]
    public void Key_rotation_signs_with_every_key_in_order()
    {
        var current = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [current, SigningTestData.StandardSecret]);

        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);

        var entries = headers.WebhookSignature!.Split(' ');
        Assert.Equal(2, entries.Length);
        Assert.StartsWith("v1,", entries[0], StringComparison.Ordinal);
        Assert.NotEqual(SigningTestData.StandardExpectedSignature, entries[0]);
        Assert.Equal(SigningTestData.StandardExpectedSignature, entries[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("msg.1")]
    [InlineData("msg 1")]
    [InlineData("msg\r\nX-Evil: 1")]
    [InlineData("msg_é")]
    public void Bad_message_ids_are_refused_for_standard_webhooks(string id)
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);

        var ex = Assert.Throws<AutomationValidationException>(() => signer.Sign(id, SigningTestData.StandardTime, StandardBody));

        Assert.Equal("messageId", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Message_id_length_is_capped()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);

        var longest = signer.Sign(new string('a', WebhookSigner.MaxMessageIdLength), SigningTestData.StandardTime, StandardBody);
        Assert.NotNull(longest.WebhookSignature);
        Assert.Throws<AutomationValidationException>(() =>
            signer.Sign(new string('a', WebhookSigner.MaxMessageIdLength + 1), SigningTestData.StandardTime, StandardBody));
    }

    [Fact]
    public void Wandb_only_signing_does_not_check_the_message_id()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, ["s"]);
        Assert.NotNull(signer.Sign("", default, StandardBody).WandbSignature);
    }

    [Fact]
    public void Timestamps_before_1970_are_refused()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);
        var ex = Assert.Throws<AutomationValidationException>(() => signer.Sign("msg_1", DateTimeOffset.UnixEpoch.AddSeconds(-1), StandardBody));
        Assert.Equal("timestamp", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void FromSecrets_reports_every_problem_without_echoing_secrets()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookSigner.FromSecrets(
            WebhookSigningScheme.StandardWebhooks,
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "plain-passphrase-value", "whsec_AAAA"],
            accessToken: "bad token"));

        Assert.Equal(["secrets[1]", "secrets[2]", "accessToken"], ex.Problems.Select(p => p.Path).ToArray());
        Assert.DoesNotContain("plain-passphrase-value", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bad token", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WebhookSigningScheme.Wandb, 0, "secrets")]
    [InlineData(WebhookSigningScheme.Wandb, 2, "secrets")]
    [InlineData(WebhookSigningScheme.None, 1, "schemes")]
    [InlineData((WebhookSigningScheme)4, 1, "schemes")]
    [InlineData(WebhookSigningScheme.StandardWebhooks, 9, "secrets")]
    public void FromSecrets_checks_the_combination(WebhookSigningScheme schemes, int count, string path)
    {
        var secrets = Enumerable.Range(0, count).Select(_ => WebhookSigningKey.GenerateStandardWebhooksSecret()).ToArray();
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookSigner.FromSecrets(schemes, secrets));
        Assert.Equal(path, Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Constructor_refuses_two_wandb_keys()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new WebhookSigner([WebhookSigningKey.ForWandb("a"), WebhookSigningKey.ForWandb("b")]));
        Assert.Equal("keys[1]", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void ToString_of_signer_and_headers_is_redacted()
    {
        var signer = WebhookSigner.FromSecrets(
            WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret], "tok-SECRET");
        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);

        foreach (var text in new[] { signer.ToString(), headers.ToString() })
        {
            Assert.DoesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", text, StringComparison.Ordinal);
            Assert.DoesNotContain("tok-SECRET", text, StringComparison.Ordinal);
            Assert.DoesNotContain(headers.WebhookSignature![3..], text, StringComparison.Ordinal);
            Assert.DoesNotContain(headers.WandbSignature!, text, StringComparison.Ordinal);
        }

        Assert.Contains(SigningTestData.StandardMessageId, headers.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddTo_puts_every_header_on_a_request()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret], "tok");
        var headers = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.invalid/hook");

        headers.AddTo(request.Headers);

        Assert.Equal(SigningTestData.StandardExpectedSignature, request.Headers.GetValues("webhook-signature").Single());
        Assert.Equal(headers.WandbSignature, request.Headers.GetValues("X-Wandb-Signature").Single());
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "tok"), request.Headers.Authorization);
        Assert.Equal("1614265330", request.Headers.GetValues("webhook-timestamp").Single());
    }

    [Fact]
    public void Headers_compare_by_value()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);
        var a = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);
        var b = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);
        var c = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime.AddSeconds(1), StandardBody);

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
    }

    [Fact]
    public void NewMessageId_is_a_valid_unique_standard_webhooks_id()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => WebhookSigner.NewMessageId()).ToList();

        Assert.Equal(100, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^msg_[0-9a-f]{32}$", id);
            Assert.Null(WebhookSigner.CheckMessageId(id));
        });
    }

    [Fact]
    public async Task Concurrent_signing_with_the_pooled_hashes_is_correct()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);
        var expectedWandb = signer.Sign("m", SigningTestData.StandardTime, StandardBody).WandbSignature;

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var wrong = 0;
            for (var i = 0; i < 2_000; i++)
            {
                var h = signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, StandardBody);
                if (h.WebhookSignature != SigningTestData.StandardExpectedSignature || h.WandbSignature != expectedWandb)
                {
                    wrong++;
                }
            }

            return wrong;
        }));

        var results = await Task.WhenAll(tasks);
        Assert.All(results, wrong => Assert.Equal(0, wrong));
    }

    [Fact]
    public void Signing_allocates_only_the_header_strings()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [SigningTestData.StandardSecret]);
        var body = new byte[64 * 1024];
        for (var i = 0; i < 10; i++)
        {
            signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, body);
        }

        const int rounds = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < rounds; i++)
        {
            signer.Sign(SigningTestData.StandardMessageId, SigningTestData.StandardTime, body);
        }

        var perSignature = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;

        // Two strings: the 47-char signature (~120 B) and the 10-digit timestamp (~48 B). A body copy would be 64 KiB.
        Assert.InRange(perSignature, 1, 256);
    }
}
