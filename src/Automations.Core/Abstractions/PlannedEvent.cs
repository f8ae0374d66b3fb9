using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;

namespace Automations.Core.Abstractions;

/// <summary>An event with the deliveries planned for it, as handed to <see cref="IDeliveryStore.PublishManyAsync"/>.</summary>
/// <param name="Event">The event.</param>
/// <param name="Deliveries">The deliveries planned for it (possibly none).</param>
public sealed record PlannedEvent(ArtifactEvent Event, IReadOnlyList<Delivery> Deliveries);
