using System.Text;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;
using Automations.Core.Secrets;

namespace Automations.Core.Tests.Secrets;

public class AesGcmSecretProtectorTests
{
    private const string Value = "gh-token-ÄÖ-🔑-\"quoted\"-1234567890";
    private static readonly SecretProtectionContext Acme = new("acme", "sec_1");

    internal static SecretKeyRing Ring(string current = "k1", params string[] ids)
    {
        var keys = (ids.Length == 0 ? [current] : ids).Select(id => KeyValuePair.Create(id, KeyFor(id)));
        return new SecretKeyRing(current, keys);
    }

    /// <summary>A deterministic 32-byte key per id, so two rings built with the same ids agree.</summary>
    internal static byte[] KeyFor(string id) => [.. Enumerable.Range(0, SecretKeyRing.KeyBytes).Select(i => (byte)(i * 7 + id.Length + id[^1]))];

    [Fact]
    public void Round_trip_returns_the_value_and_the_ciphertext_does_not_contain_it()
    {
        var protector = new AesGcmSecretProtector(Ring());

        var ciphertext = protector.Protect(Value, Acme);

        Assert.Equal("k1", ciphertext.KeyId);
        Assert.Equal(Value, protector.Unprotect(ciphertext, Acme));
        var plain = Encoding.UTF8.GetBytes(Value);
        Assert.Equal(1 + 12 + plain.Length + 16, ciphertext.Data.Length);
        Assert.Equal(-1, ciphertext.Data.Span.IndexOf(plain.AsSpan(0, 8)));
        Assert.DoesNotContain("gh-token", ciphertext.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_protection_uses_a_fresh_nonce()
    {
        var protector = new AesGcmSecretProtector(Ring());

        var a = protector.Protect(Value, Acme);
        var b = protector.Protect(Value, Acme);

        Assert.NotEqual(a, b);
        Assert.Equal(protector.Unprotect(a, Acme), protector.Unprotect(b, Acme));
    }

    [Theory]
    [InlineData(0)]   // version byte
    [InlineData(5)]   // nonce
    [InlineData(20)]  // ciphertext
    [InlineData(-1)]  // tag (last byte)
    public void Any_altered_byte_fails_with_a_clear_error(int index)
    {
        var protector = new AesGcmSecretProtector(Ring());
        var bytes = protector.Protect(Value, Acme).ToArray();
        bytes[index < 0 ? bytes.Length + index : index] ^= 0x01;

        var ex = Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(new SecretCiphertext("k1", bytes), Acme));

        Assert.True(ex.Message.Contains("does not authenticate", StringComparison.Ordinal) || ex.Message.Contains("malformed", StringComparison.Ordinal), ex.Message);
        Assert.DoesNotContain("gh-token", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_ciphertext_is_malformed()
    {
        var protector = new AesGcmSecretProtector(Ring());
        var bytes = protector.Protect(Value, Acme).ToArray();

        var ex = Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(new SecretCiphertext("k1", bytes.AsSpan(0, 20)), Acme));
        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme", "sec_2")]   // copied to another secret of the team
    [InlineData("globex", "sec_1")] // copied to another team, same id
    [InlineData("globex", "sec_2")]
    public void Ciphertext_moved_to_another_secret_or_team_does_not_decrypt(string entity, string secretId)
    {
        var protector = new AesGcmSecretProtector(Ring());
        var ciphertext = protector.Protect(Value, Acme);

        var ex = Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(ciphertext, new SecretProtectionContext(entity, secretId)));

        Assert.Contains("copied from another secret or team", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relabelled_key_id_does_not_decrypt_even_when_both_keys_are_in_the_ring()
    {
        var ring = Ring("k2", "k1", "k2");
        var protector = new AesGcmSecretProtector(ring);
        var ciphertext = protector.Protect(Value, Acme);

        var relabelled = new SecretCiphertext("k1", ciphertext.Data.Span);

        Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(relabelled, Acme));
    }

    [Fact]
    public void Key_rotation_old_key_id_still_decrypts_and_new_writes_use_the_current_key()
    {
        var before = new AesGcmSecretProtector(Ring("k1"));
        var old = before.Protect(Value, Acme);

        var after = new AesGcmSecretProtector(Ring("k2", "k1", "k2"));
        var fresh = after.Protect(Value, Acme);

        Assert.Equal("k1", old.KeyId);
        Assert.Equal("k2", fresh.KeyId);
        Assert.Equal("k2", after.CurrentKeyId);
        Assert.Equal(Value, after.Unprotect(old, Acme));
        Assert.Equal(Value, after.Unprotect(fresh, Acme));

        // Once k1 leaves the ring, its values are unreadable, and the error says which key is missing.
        var retired = new AesGcmSecretProtector(Ring("k2"));
        var ex = Assert.Throws<SecretDecryptionException>(() => retired.Unprotect(old, Acme));
        Assert.Contains("'k1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not in the key ring", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_key_under_the_same_id_does_not_decrypt()
    {
        var protector = new AesGcmSecretProtector(Ring());
        var ciphertext = protector.Protect(Value, Acme);
        var other = new AesGcmSecretProtector(new SecretKeyRing("k1", [KeyValuePair.Create("k1", new byte[32])]));

        Assert.Throws<SecretDecryptionException>(() => other.Unprotect(ciphertext, Acme));
    }

    [Fact]
    public async Task The_interface_methods_round_trip()
    {
        ISecretProtector protector = new AesGcmSecretProtector(Ring());
        var ciphertext = await protector.ProtectAsync(Value, Acme);
        Assert.Equal(Value, await protector.UnprotectAsync(ciphertext, Acme));
    }

    [Fact]
    public void Empty_context_is_refused()
    {
        var protector = new AesGcmSecretProtector(Ring());
        Assert.Throws<ArgumentException>(() => protector.Protect(Value, new SecretProtectionContext("", "sec_1")));
        Assert.Throws<ArgumentException>(() => protector.Protect(Value, default));
    }

    [Fact]
    public void ToString_shows_key_ids_only()
    {
        var protector = new AesGcmSecretProtector(Ring("k2", "k1", "k2"));
        var text = protector.ToString();

        Assert.Contains("Current = k2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(KeyFor("k2")), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_calls_share_pooled_ciphers_without_mixing_values()
    {
        var protector = new AesGcmSecretProtector(Ring("k2", "k1", "k2"));
        var old = new AesGcmSecretProtector(Ring("k1"));
        var items = Enumerable.Range(0, 64).Select(i =>
        {
            var context = new SecretProtectionContext("acme", "sec_" + i);
            var value = Value + i;
            return (context, value, ciphertext: (i % 2 == 0 ? protector : old).Protect(value, context));
        }).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 20; round++)
            {
                foreach (var (context, value, ciphertext) in items)
                {
                    Assert.Equal(value, protector.Unprotect(ciphertext, context));
                    Assert.Equal(value, protector.Unprotect(protector.Protect(value, context), context));
                }
            }
        })));
    }

    [Fact]
    public void A_failed_decryption_leaves_the_pooled_cipher_usable()
    {
        var protector = new AesGcmSecretProtector(Ring());
        var good = protector.Protect(Value, Acme);
        var tampered = new SecretCiphertext(good.KeyId, good.Data.ToArray().Select((b, i) => i == 20 ? (byte)(b ^ 1) : b).ToArray());

        for (var i = 0; i < 3; i++)
        {
            Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(tampered, Acme));
            Assert.Equal(Value, protector.Unprotect(good, Acme));
        }
    }
}
