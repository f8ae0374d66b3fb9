using System.CommandLine;
using Automations.Cli.Commands;

namespace Automations.Cli;

/// <summary>Builds and runs the <c>automations</c> command line; testable in process.</summary>
internal static class CliApp
{
    /// <summary>Exit code for success (or "match", "allowed", "valid").</summary>
    public const int Ok = 0;

    /// <summary>Exit code for a negative answer (no match, refused, invalid signature, failed delivery).</summary>
    public const int Negative = 1;

    /// <summary>Exit code for bad usage or invalid input.</summary>
    public const int Usage = 2;

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("automations — artifact automations: filters, templates, signing, webhooks, demo.");
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(MatchCommand.Create(context));
        root.Subcommands.Add(CheckUrlCommand.Create(context));
        root.Subcommands.Add(SignCommand.Create(context));
        root.Subcommands.Add(VerifyCommand.Create(context));
        root.Subcommands.Add(RenderCommand.Create(context));
        root.Subcommands.Add(WebhookCommand.Create(context));
        root.Subcommands.Add(SecretKeyCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(stdout, stderr);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            return Usage;
        }

        return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
    }
}
