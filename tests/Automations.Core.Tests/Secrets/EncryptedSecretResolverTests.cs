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
}
