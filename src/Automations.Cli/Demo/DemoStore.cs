using Automations.Core.DependencyInjection;

namespace Automations.Cli.Demo;

/// <summary>
/// The demo's choice of store, in one place. <c>AddAutomations</c> registers the in-memory stores unless another
/// store was registered; to run the demo on a durable store, register it here (for example
/// <c>automations.UseSqlite("Data Source=demo.db")</c>) and change <see cref="Description"/>.
/// </summary>
internal static class DemoStore
{
    /// <summary>How the store is described in the demo's output.</summary>
    public const string Description = "in-memory stores";

    /// <summary>Registers the demo's stores on the engine's builder.</summary>
    /// <param name="automations">The builder returned by <c>AddAutomations</c>.</param>
    public static void Configure(AutomationsBuilder automations)
    {
        ArgumentNullException.ThrowIfNull(automations);

        // In-memory stores are AddAutomations' default: nothing to register.
    }
}
