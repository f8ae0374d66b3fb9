using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Domain;

/// <summary>
/// A user-configured automation: when its <see cref="Trigger"/> matches an event in its scope, its
/// <see cref="Action"/> runs (if <see cref="Enabled"/>). Immutable and validated; use the <c>With…</c> methods
/// to derive an updated copy.
/// </summary>
public sealed class Automation
{
    /// <summary>Maximum length of <see cref="Name"/>.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Maximum length of <see cref="Description"/>.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>Creates a validated automation.</summary>
    /// <param name="id">The automation's id (unique in the host).</param>
    /// <param name="name">The name (at most 255 characters; unique per scope).</param>
    /// <param name="trigger">When it fires.</param>
    /// <param name="action">What it does.</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="updatedAt">When it was last updated (not before <paramref name="createdAt"/>).</param>
    /// <param name="description">A free-text description; null for none.</param>
    /// <param name="enabled">Whether it fires; only enabled automations fire.</param>
    /// <exception cref="AutomationValidationException">Any field is missing or invalid (all problems are listed).</exception>
    public Automation(
        string id,
        string name,
        AutomationTrigger trigger,
        AutomationAction action,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        string? description = null,
        bool enabled = true)
    {
        var problems = new ValidationProblemCollector();
        Names.CheckText(problems, "id", id, "Automation id", 256);
        Names.CheckText(problems, "name", name, "Name", MaxNameLength);
        if (description is { Length: > MaxDescriptionLength })
        {
            problems.Add("description", $"Description must be at most {MaxDescriptionLength} characters.");
        }

        if (trigger is null)
        {
            problems.Add("trigger", "Trigger is required.");
        }

        if (action is null)
        {
            problems.Add("action", "Action is required.");
        }

        if (updatedAt < createdAt)
        {
            problems.Add("updatedAt", "Update time must not be before creation time.");
        }

        problems.ThrowIfInvalid();
        Id = id;
        Name = name;
        Description = description;
        Enabled = enabled;
        Trigger = trigger!;
        Action = action!;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The automation's id.</summary>
    public string Id { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The description, or null.</summary>
    public string? Description { get; }

    /// <summary>Whether the automation fires.</summary>
    public bool Enabled { get; }

    /// <summary>The scope (the trigger's).</summary>
    public AutomationScope Scope => Trigger.Scope;

    /// <summary>When it fires.</summary>
    public AutomationTrigger Trigger { get; }

    /// <summary>What it does.</summary>
    public AutomationAction Action { get; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Returns a copy with <see cref="Enabled"/> set, stamped with the update time.</summary>
    /// <param name="enabled">Whether the copy fires.</param>
    /// <param name="now">The update time.</param>
    /// <returns>The updated copy.</returns>
    public Automation WithEnabled(bool enabled, DateTimeOffset now)
        => new(Id, Name, Trigger, Action, CreatedAt, Max(now), Description, enabled);

    /// <summary>Returns a copy with new name, description, trigger and action, stamped with the update time.</summary>
    /// <param name="name">The new name.</param>
    /// <param name="description">The new description.</param>
    /// <param name="trigger">The new trigger.</param>
    /// <param name="action">The new action.</param>
    /// <param name="now">The update time.</param>
    /// <returns>The updated copy.</returns>
    /// <exception cref="AutomationValidationException">A new value is invalid.</exception>
    public Automation WithDefinition(string name, string? description, AutomationTrigger trigger, AutomationAction action, DateTimeOffset now)
        => new(Id, name, trigger, action, CreatedAt, Max(now), description, Enabled);

    /// <summary>Formats the automation as <c>name (id): trigger → action</c>; never includes payloads or secrets.</summary>
    /// <returns>The formatted automation.</returns>
    public override string ToString() => $"{Name} ({Id}): {Trigger} -> {Action}{(Enabled ? string.Empty : " [disabled]")}";

    private DateTimeOffset Max(DateTimeOffset now) => now < CreatedAt ? CreatedAt : now;
}
