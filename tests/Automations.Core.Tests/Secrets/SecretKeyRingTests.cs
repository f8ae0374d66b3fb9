using Automations.Core.Domain;
using Automations.Core.Secrets;

namespace Automations.Core.Tests.Secrets;

public class SecretKeyRingTests
{
    [Fact]
    public void From_base64_builds_a_ring_and_copies_the_keys()
    {
        var k1 = SecretKeyRing.GenerateKey();
        var k2 = SecretKeyRing.GenerateKey();

        var ring = SecretKeyRing.FromBase64("2026-02", new Dictionary<string, string> { ["2026-01"] = k1, ["2026-02"] = k2 });

        Assert.Equal("2026-02", ring.CurrentKeyId);
        Assert.Equal(["2026-01", "2026-02"], ring.KeyIds);
        Assert.True(ring.TryGetKey("2026-01", out var bytes));
        Assert.Equal(Convert.FromBase64String(k1), bytes);
        Assert.Equal("SecretKeyRing { Current = 2026-02, Keys = [2026-01, 2026-02] }", ring.ToString());
    }

    [Fact]
    public void Generated_keys_are_32_random_bytes()
    {
        var a = SecretKeyRing.GenerateKey();
        var b = SecretKeyRing.GenerateKey();
        Assert.Equal(32, Convert.FromBase64String(a).Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Every_problem_is_listed_without_any_key_text()
    {
        const string shortKey = "c2hvcnQta2V5LXRleHQ="; // "short-key-text"
        var ex = Assert.Throws<AutomationValidationException>(() => SecretKeyRing.FromBase64("missing", new Dictionary<string, string>
        {
            ["ok"] = SecretKeyRing.GenerateKey(),
            ["short"] = shortKey,
            ["not base64"] = "!!!",
        }));

        Assert.Contains(ex.Problems, p => p.Path == "keys[short]");
        Assert.Contains(ex.Problems, p => p.Path == "keys[not base64]");
        Assert.Contains(ex.Problems, p => p.Path == "currentKeyId");
        Assert.DoesNotContain(shortKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_keys_must_be_32_bytes_and_the_current_id_present()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new SecretKeyRing("", [KeyValuePair.Create("k1", new byte[16])]));
        Assert.Equal(["keys[k1]", "currentKeyId"], ex.Problems.Select(p => p.Path));

        var empty = Assert.Throws<AutomationValidationException>(() => new SecretKeyRing("k1", []));
        Assert.Contains(empty.Problems, p => p.Path == "keys");
    }

    [Fact]
    public void The_ring_does_not_share_the_callers_array()
    {
        var key = AesGcmSecretProtectorTests.KeyFor("k1");
        var ring = new SecretKeyRing("k1", [KeyValuePair.Create("k1", key)]);
        var before = new AesGcmSecretProtector(ring).Protect("v", new("acme", "sec_1"));

        Array.Clear(key);

        Assert.Equal("v", new AesGcmSecretProtector(ring).Unprotect(before, new("acme", "sec_1")));
    }

    [Fact]
    public void Options_validation_reports_bad_keys_and_grace_periods()
    {
        var options = new SecretOptions { CurrentKeyId = "k9", RotationGracePeriod = TimeSpan.FromDays(31) };
        options.Keys["k1"] = "nope";
        var problems = new ValidationProblemCollector();

        options.Validate(problems);

        Assert.Contains(problems.Problems, p => p.Path == nameof(SecretOptions.RotationGracePeriod));
        Assert.Contains(problems.Problems, p => p.Path == "keys[k1]");
        Assert.DoesNotContain("nope", options.ToString(), StringComparison.Ordinal);

        var none = new ValidationProblemCollector();
        new SecretOptions().Validate(none);
        Assert.True(none.IsValid);
        Assert.Null(new SecretOptions().BuildKeyRing());
    }
}
