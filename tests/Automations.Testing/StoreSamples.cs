using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;

namespace Automations.Testing;

/// <summary>Well-formed sample values for the store suites.</summary>
public static class StoreSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static ArtifactEvent Event(string id, string project = "vision", string collection = "ds", ArtifactEventType type = ArtifactEventType.LinkArtifact, ArtifactContainerKind kind = ArtifactContainerKind.Project)
        => new(
            id,
            type,
            new ArtifactContainer("acme", project, kind),
            collection,
            new ArtifactVersion("517889887", collection, "v3", ["latest", "v3"], ["golden"], new Dictionary<string, JsonElement> { ["accuracy"] = JsonSerializer.SerializeToElement(0.95) }),
            "alice",
            T0,
            alias: type == ArtifactEventType.AddArtifactAlias ? "production" : null);

    public static Automation Automation(
        string name,
        AutomationScope? scope = null,
        string? collection = null,
        ArtifactEventType type = ArtifactEventType.LinkArtifact,
        bool enabled = true,
        string? id = null,
        AutomationAction? action = null)
        => new(
            id ?? "aut_" + Guid.NewGuid().ToString("N"),
            name,
            new AutomationTrigger(type, scope ?? AutomationScope.ForProject("acme", "vision"), collection: collection),
            action ?? NoOpAction.Instance,
            T0,
            T0,
            enabled: enabled);

    public static Delivery Delivery(ArtifactEvent e, string id, DateTimeOffset? dueAt = null, DeliveryStatus status = DeliveryStatus.Pending, string automationId = "aut_1")
        => new()
        {
            Id = id,
            Event = e,
            Automation = new Automation(automationId, "a", new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision")), NoOpAction.Instance, T0, T0),
            Status = status,
            CreatedAt = T0,
            DueAt = dueAt ?? T0,
            CompletedAt = status == DeliveryStatus.Suppressed ? T0 : null,
        };

    public static ExecutionRecord Record(string id, string automationId = "aut_1", string deliveryId = "d1", int attempt = 1, ExecutionStatus status = ExecutionStatus.Succeeded)
        => new()
        {
            Id = id,
            DeliveryId = deliveryId,
            AutomationId = automationId,
            Entity = "acme",
            EventId = "e1",
            EventType = ArtifactEventType.LinkArtifact,
            At = T0.AddSeconds(attempt),
            Attempt = attempt,
            Status = status,
        };
}
