using Automations.Core.Abstractions;
using Automations.Core.Storage.InMemory;
using Automations.Testing;

namespace Automations.Core.Tests.Storage.InMemory;

public class InMemoryIntegrationStoreTests : IntegrationStoreConformanceTests
{
    protected override IIntegrationStore CreateStore() => new InMemoryIntegrationStore();
}
