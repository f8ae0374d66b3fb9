using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;
using Automations.Core.Secrets;
using Automations.Core.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Automations.Core.Tests.Secrets;

public class EncryptedSecretResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_record_of_another_team_returned_by_a_faulty_store_is_never_used()
    {
        var protector = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring());
        var globex = new SecretRecord("sec_g", "globex", "TOKEN", protector.Protect("globex-value", new("globex", "sec_g")), T0, T0);
        var store = Substitute.For<ISecretStore>();
        store.FindByNameAsync("acme", "TOKEN", Arg.Any<CancellationToken>()).Returns(globex);
        ISecretResolver resolver = new EncryptedSecretResolver(store, protector, new FakeTimeProvider(T0));

        Assert.Null(await resolver.GetSecretAsync("acme", "TOKEN"));
        Assert.False(await resolver.SecretExistsAsync("acme", "TOKEN"));
        Assert.Null(await resolver.GetSigningSecretsAsync("acme", "TOKEN"));
        Assert.Null(await resolver.GetSecretAsync("", "TOKEN"));
    }

    [Fact]
    public async Task An_undecryptable_previous_value_is_dropped_but_the_current_one_signs()
    {
        var protector = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring());
        var context = new SecretProtectionContext("acme", "sec_1");
        var record = new SecretRecord("sec_1", "acme", "HOOK", protector.Protect("current", context), T0, T0,
            previousValue: protector.Protect("previous", new("acme", "sec_other")), previousValueExpiresAt: T0.AddHours(1));
        var store = new InMemorySecretStore();
        await store.AddAsync(record);
        ISecretResolver resolver = new EncryptedSecretResolver(store, protector, new FakeTimeProvider(T0));

        Assert.Equal(["current"], await resolver.GetSigningSecretsAsync("acme", "HOOK"));
    }

    [Fact]
    public async Task An_undecryptable_current_value_names_the_secret_and_the_reason()
    {
        var protector = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring("k2"));
        var old = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring("k1"));
        var store = new InMemorySecretStore();
        await store.AddAsync(new SecretRecord("sec_1", "acme", "HOOK", old.Protect("v", new("acme", "sec_1")), T0, T0));
        ISecretResolver resolver = new EncryptedSecretResolver(store, protector, new FakeTimeProvider(T0));

        var ex = await Assert.ThrowsAsync<SecretDecryptionException>(async () => await resolver.GetSigningSecretsAsync("acme", "HOOK"));
        Assert.StartsWith("Secret 'HOOK' of team 'acme' cannot be decrypted: The value was encrypted with key 'k1'", ex.Message, StringComparison.Ordinal);
        Assert.True(await resolver.SecretExistsAsync("acme", "HOOK"));
    }

    [Fact]
    public async Task A_value_is_decrypted_once_per_stored_ciphertext_and_a_new_value_is_seen_at_once()
    {
        var aes = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring());
        var protector = Substitute.For<ISecretProtector>();
        protector.UnprotectAsync(Arg.Any<SecretCiphertext>(), Arg.Any<SecretProtectionContext>(), Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(aes.Unprotect(call.Arg<SecretCiphertext>(), call.Arg<SecretProtectionContext>())));
        var store = new InMemorySecretStore();
        var record = new SecretRecord("sec_1", "acme", "HOOK", aes.Protect("first", new("acme", "sec_1")), T0, T0);
        await store.AddAsync(record);
        ISecretResolver resolver = new EncryptedSecretResolver(store, protector, new FakeTimeProvider(T0));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("first", await resolver.GetSecretAsync("acme", "HOOK"));
            Assert.Equal(["first"], await resolver.GetSigningSecretsAsync("acme", "HOOK"));
        }

        await protector.Received(1).UnprotectAsync(Arg.Any<SecretCiphertext>(), Arg.Any<SecretProtectionContext>(), Arg.Any<CancellationToken>());

        await store.UpdateAsync(record.WithValue(aes.Protect("second", new("acme", "sec_1")), T0));
        Assert.Equal("second", await resolver.GetSecretAsync("acme", "HOOK"));
        await protector.Received(2).UnprotectAsync(Arg.Any<SecretCiphertext>(), Arg.Any<SecretProtectionContext>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_ciphertext_object_moved_to_another_secret_is_decrypted_again_and_fails()
    {
        var protector = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring());
        var ciphertext = protector.Protect("acme-value", new("acme", "sec_a"));
        var acme = new SecretRecord("sec_a", "acme", "TOKEN", ciphertext, T0, T0);
        var globex = new SecretRecord("sec_g", "globex", "TOKEN", ciphertext, T0, T0); // the very same object, moved
        var store = Substitute.For<ISecretStore>();
        store.FindByNameAsync("acme", "TOKEN", Arg.Any<CancellationToken>()).Returns(acme);
        store.FindByNameAsync("globex", "TOKEN", Arg.Any<CancellationToken>()).Returns(globex);
        ISecretResolver resolver = new EncryptedSecretResolver(store, protector, new FakeTimeProvider(T0));

        Assert.Equal("acme-value", await resolver.GetSecretAsync("acme", "TOKEN"));
        var ex = await Assert.ThrowsAsync<SecretDecryptionException>(async () => await resolver.GetSecretAsync("globex", "TOKEN"));
        Assert.DoesNotContain("acme-value", ex.Message, StringComparison.Ordinal);
    }
}
