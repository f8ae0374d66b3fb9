using System.CommandLine;

namespace Automations.Cli.Commands;

/// <summary><c>automations demo</c>: the README's main job; shows what the library does end to end.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Run the end-to-end demo of the library.");
        command.SetAction(async (parse, ct) =>
        {
            await context.Out.WriteLineAsync("Automations.Core demo").ConfigureAwait(false);
            return CliApp.Ok;
        });
        return command;
    }
}
