using Automations.Core.Abstractions;
using Automations.Core.Storage.InMemory;
using Automations.Testing;

namespace Automations.Core.Tests.Storage.InMemory;

public class InMemoryAutomationStoreTests : AutomationStoreConformanceTests
{
    protected override IAutomationStore CreateStore() => new InMemoryAutomationStore();

    [Fact]
    public async Task The_synchronous_lookup_gives_the_same_candidates()
    {
        var store = new InMemoryAutomationStore();
        await store.AddAsync(StoreSamples.Automation("a"));

        var e = StoreSamples.Event("e");
        Assert.Equal((await store.FindCandidatesAsync(e)).Select(a => a.Id), store.FindCandidates(e).Select(a => a.Id));
    }
}
