using System.Text.Json;

namespace Automations.Core.Domain.Actions;

/// <summary>
/// An integrator-defined action: a kind name plus a JSON configuration object. The domain checks the shape;
/// the handler registered for the kind validates the configuration itself when the automation is saved.
/// </summary>
public sealed class CustomAction : AutomationAction
{
    /// <summary>Creates a custom action.</summary>
    /// <param name="kind">The custom kind name (see <see cref="ActionKinds.IsValidCustomKind"/>).</param>
    /// <param name="configuration">The configuration, a JSON object.</param>
    /// <param name="name">The name shown in the Automations view; defaults to the kind.</param>
    /// <exception cref="AutomationValidationException">The kind name is invalid or the configuration is not an object.</exception>
    public CustomAction(string kind, JsonElement configuration, string? name = null)
    {
        var problems = new ValidationProblemCollector();
        if (!ActionKinds.IsValidCustomKind(kind))
        {
            problems.Add("kind", ActionKinds.IsBuiltIn(kind)
                ? $"'{kind}' is a built-in kind; use its own action type."
                : "A custom kind is 1-64 characters: a letter, then letters, digits, '_', '-' or '.'.");
        }

        if (configuration.ValueKind != JsonValueKind.Object)
        {
            problems.Add("configuration", $"Configuration must be a JSON object (got {configuration.ValueKind}).");
        }

        if (name is not null)
        {
            Names.CheckText(problems, "name", name, "Action name", 256);
        }

        problems.ThrowIfInvalid();
        CustomKind = kind;
        Configuration = configuration.Clone();
        Name = name ?? kind;
    }

    /// <inheritdoc />
    public override string Kind => CustomKind;

    /// <inheritdoc />
    public override string ActionName => Name;

    /// <summary>The configuration object.</summary>
    public JsonElement Configuration { get; }

    private string CustomKind { get; }

    private string Name { get; }
}
