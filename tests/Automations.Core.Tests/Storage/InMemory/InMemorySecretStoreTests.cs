using Automations.Core.Abstractions;
using Automations.Core.Storage.InMemory;
using Automations.Testing;

namespace Automations.Core.Tests.Storage.InMemory;

public class InMemorySecretStoreTests : SecretStoreConformanceTests
{
    protected override ISecretStore CreateStore() => new InMemorySecretStore();

    [Fact]
    public async Task ToString_counts_secrets()
    {
        var store = new InMemorySecretStore();
        await store.AddAsync(Record("s1", "acme", "A"));
        Assert.Equal("InMemorySecretStore (1 secrets)", store.ToString());
    }
}
