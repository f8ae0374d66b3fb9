using Automations.Core.Domain;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;

namespace Automations.Core.Engine;

/// <summary>Decides whether an automation fires for an event: enabled, scope, event type, collection, filter.</summary>
internal static class TriggerMatcher
{
    /// <summary>
    /// The fields an event filter sees: the alias concerned plus the version's aliases, the tag concerned plus the
    /// version's tags, and the collection. Built once per event.
    /// </summary>
    public static FilterSubject SubjectOf(ArtifactEvent artifactEvent)
    {
        var version = artifactEvent.Version;
        return new FilterSubject(
            With(artifactEvent.Alias, version.Aliases),
            With(artifactEvent.Tag, version.Tags),
            artifactEvent.Collection);
    }

    public static bool Matches(Automation automation, ArtifactEvent artifactEvent, in FilterSubject subject)
    {
        var trigger = automation.Trigger;
        return automation.Enabled
               && trigger.EventType == artifactEvent.Type
               && trigger.Scope.CanSee(artifactEvent)
               && (trigger.Collection is null || string.Equals(trigger.Collection, artifactEvent.Collection, StringComparison.Ordinal))
               && trigger.Filter.Matches(subject);
    }

    private static IReadOnlyList<string> With(string? first, IReadOnlyList<string> rest)
    {
        if (first is null)
        {
            return rest;
        }

        foreach (var value in rest)
        {
            if (string.Equals(value, first, StringComparison.Ordinal))
            {
                return rest;
            }
        }

        return [first, .. rest];
    }
}
