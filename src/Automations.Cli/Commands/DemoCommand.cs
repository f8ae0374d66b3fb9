using System.CommandLine;
using Automations.Cli.Demo;
using Automations.Core.Domain;

namespace Automations.Cli.Commands;

/// <summary>
/// <c>automations demo</c>: the README's main job. Runs the engine embedded in process against a local webhook
/// receiver and prints every delivery, a retried one, and the Automations list. Exit 0 when every check passed,
/// 1 otherwise.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context) => Create(context, new DemoSettings());

    /// <summary>Creates the command with other settings (tests inject failures).</summary>
    internal static Command Create(CliContext context, DemoSettings settings)
    {
        var command = new Command("demo", "Run the end-to-end demo: embedded engine, local receiver, signed webhooks, a retried delivery, the Automations list. Exit 0 when every check passed, 1 otherwise.");
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await DemoScenario.RunAsync(context, settings, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AutomationsException or IOException or InvalidOperationException)
            {
                await context.Error.WriteLineAsync($"The demo could not run: {ex.Message}").ConfigureAwait(false);
                return CliApp.Negative;
            }
        });
        return command;
    }
}
