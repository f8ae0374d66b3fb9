namespace Automations.Core.Domain.Scopes;

/// <summary>What an automation is attached to, which decides the events it can see.</summary>
public enum AutomationScopeKind
{
    /// <summary>The whole entity (team): sees events in every project and registry of the team.</summary>
    Entity = 0,

    /// <summary>One project: sees only events in that project (never a registry's).</summary>
    Project = 1,

    /// <summary>One registry: sees only events in that registry (never a project's).</summary>
    Registry = 2,

    /// <summary>One artifact collection in a project or registry: sees only that collection's events.</summary>
    Collection = 3,
}
