using Automations.Core.Domain;
using Automations.Core.Domain.Events;

namespace Automations.Core.Engine;

/// <summary>Decides whether an automation fires for an event: enabled, scope, event type, collection, filter.</summary>
internal static class TriggerMatcher
{
    public static bool Matches(Automation automation, ArtifactEvent artifactEvent)
    {
        var trigger = automation.Trigger;
        return automation.Enabled
               && trigger.EventType == artifactEvent.Type
               && trigger.Scope.CanSee(artifactEvent)
               && (trigger.Collection is null || string.Equals(trigger.Collection, artifactEvent.Collection, StringComparison.Ordinal))
               && FilterMatches(automation, artifactEvent);
    }

    // MERGE: replaced by the filter language's Matches once the filters branch lands.
    private static bool FilterMatches(Automation automation, ArtifactEvent artifactEvent) => automation is not null && artifactEvent is not null;
}
