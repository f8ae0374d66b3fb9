using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Scopes;

namespace Automations.Core.Domain.Triggers;

/// <summary>
/// When an automation fires: an event type inside a scope, optionally narrowed to one collection, and an event
/// filter (W&amp;B's MongoDB-style JSON) over the event's alias, tag and collection. Immutable and validated.
/// </summary>
public sealed class AutomationTrigger
{
    /// <summary>Creates a validated trigger.</summary>
    /// <param name="eventType">The event type that fires the automation.</param>
    /// <param name="scope">The scope whose events are seen.</param>
    /// <param name="filter">The event filter; null means "every event" (<see cref="EventFilter.MatchAll"/>).</param>
    /// <param name="collection">
    /// The collection the automation reacts to (W&amp;B names one for new-version events); null means every
    /// collection in the scope. For a collection scope it must be null or the scope's own collection.
    /// </param>
    /// <exception cref="AutomationValidationException">Any part is missing or inconsistent (all problems are listed).</exception>
    public AutomationTrigger(ArtifactEventType eventType, AutomationScope scope, EventFilter? filter = null, string? collection = null)
    {
        var problems = new ValidationProblemCollector();
        Validate(problems, string.Empty, eventType, scope, collection);
        problems.ThrowIfInvalid();
        EventType = eventType;
        Scope = scope;
        Filter = filter ?? EventFilter.MatchAll;
        Collection = collection ?? scope.Collection;
    }

    /// <summary>The event type that fires the automation.</summary>
    public ArtifactEventType EventType { get; }

    /// <summary>The scope whose events are seen.</summary>
    public AutomationScope Scope { get; }

    /// <summary>The event filter (never null; <see cref="EventFilter.MatchAll"/> when none was given).</summary>
    public EventFilter Filter { get; }

    /// <summary>The collection the automation reacts to, or null for every collection in the scope.</summary>
    public string? Collection { get; }

    /// <summary>Formats the trigger as <c>EVENT_TYPE in scope [collection]</c>.</summary>
    /// <returns>The formatted trigger.</returns>
    public override string ToString() => Collection is null || Scope.Kind == AutomationScopeKind.Collection
        ? $"{EventType.ToWireName()} in {Scope}"
        : $"{EventType.ToWireName()} in {Scope} collection {Collection}";

    internal static void Validate(ValidationProblemCollector problems, string path, ArtifactEventType eventType, AutomationScope? scope, string? collection)
    {
        if (!Enum.IsDefined(eventType))
        {
            problems.Add(ValidationProblemCollector.Combine(path, "eventType"), $"Unknown event type {(int)eventType}.");
        }

        if (scope is null)
        {
            problems.Add(ValidationProblemCollector.Combine(path, "scope"), "Scope is required.");
        }

        if (collection is not null)
        {
            var collectionPath = ValidationProblemCollector.Combine(path, "collection");
            if (Names.Check(problems, collectionPath, collection, "Collection name")
                && scope?.Kind == AutomationScopeKind.Collection
                && !string.Equals(scope.Collection, collection, StringComparison.Ordinal))
            {
                problems.Add(collectionPath, $"A collection-scoped trigger can only name its scope's collection '{scope.Collection}'.");
            }
            else if (scope?.Kind == AutomationScopeKind.Entity)
            {
                problems.Add(collectionPath, "An entity-scoped trigger cannot name a collection; use a collection scope.");
            }
        }
    }
}
