using System.CommandLine;
using Automations.Core.Secrets;

namespace Automations.Cli.Commands;

/// <summary>
/// <c>automations secret-key</c>: prints a new random AES-256 key (base64 of 32 bytes) for the key ring that
/// encrypts team secrets at rest (<c>SecretOptions.Keys</c>). Exit 0.
/// </summary>
internal static class SecretKeyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "secret-key",
            "Print a new random AES-256 key (base64) for the key ring that encrypts team secrets at rest (SecretOptions.Keys).");
        command.SetAction(async (parse, ct) =>
        {
            await context.Out.WriteLineAsync(SecretKeyRing.GenerateKey()).ConfigureAwait(false);
            return CliApp.Ok;
        });
        return command;
    }
}
