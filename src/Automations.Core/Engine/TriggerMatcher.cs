using Automations.Core.Domain;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;

namespace Automations.Core.Engine;

/// <summary>Decides whether an automation fires for an event: enabled, scope, event type, collection, filter.</summary>
internal static class TriggerMatcher
{
    /// <summary>
    /// The fields an event filter sees, built once per event. As in W&amp;B, a filter on an event that adds an alias
    /// (or adds or removes a tag) judges that alias (or tag) alone: <c>{"alias": "prod"}</c> on
    /// <c>ADD_ARTIFACT_ALIAS</c> fires when <c>prod</c> is added, not whenever some alias is added to a version that
    /// already has <c>prod</c>. On other events the field holds the version's aliases (tags). Plus the collection.
    /// </summary>
    public static FilterSubject SubjectOf(ArtifactEvent artifactEvent)
    {
        var version = artifactEvent.Version;
        return new FilterSubject(
            artifactEvent.Alias is { } alias ? [alias] : version.Aliases,
            artifactEvent.Tag is { } tag ? [tag] : version.Tags,
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
}
