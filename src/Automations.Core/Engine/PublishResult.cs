namespace Automations.Core.Engine;

/// <summary>What publishing one event did.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Duplicate">True when the id was published before; nothing was planned this time.</param>
/// <param name="DeliveryIds">The deliveries planned for attempts (one per matching automation).</param>
/// <param name="SuppressedDeliveryIds">The deliveries suppressed by rate limits (recorded, not attempted).</param>
public sealed record PublishResult(string EventId, bool Duplicate, IReadOnlyList<string> DeliveryIds, IReadOnlyList<string> SuppressedDeliveryIds);
