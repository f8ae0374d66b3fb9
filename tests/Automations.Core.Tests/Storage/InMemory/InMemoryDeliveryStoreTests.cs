using Automations.Core.Abstractions;
using Automations.Core.Storage.InMemory;
using Automations.Testing;

namespace Automations.Core.Tests.Storage.InMemory;

public class InMemoryDeliveryStoreTests : DeliveryStoreConformanceTests
{
    protected override IDeliveryStore CreateStore() => new InMemoryDeliveryStore();
}
