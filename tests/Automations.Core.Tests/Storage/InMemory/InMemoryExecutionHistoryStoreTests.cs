using Automations.Core.Abstractions;
using Automations.Core.Storage.InMemory;
using Automations.Testing;

namespace Automations.Core.Tests.Storage.InMemory;

public class InMemoryExecutionHistoryStoreTests : HistoryStoreConformanceTests
{
    protected override IExecutionHistoryStore CreateStore() => new InMemoryExecutionHistoryStore();
}
