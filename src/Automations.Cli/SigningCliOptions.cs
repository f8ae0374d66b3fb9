using System.CommandLine;
using Automations.Core.Domain;
using Automations.Core.Signing;

namespace Automations.Cli;

/// <summary>Options and helpers shared by <c>automations sign</c> and <c>automations verify</c>.</summary>
internal static class SigningCliOptions
{
    public const string Wandb = "wandb";
    public const string Standard = "standard";

    public static Option<string[]> Secret(string description) => new("--secret")
    {
        Description = description,
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<string> Scheme()
    {
        var option = new Option<string>("--scheme")
        {
            Description = "Signature scheme: 'wandb' (X-Wandb-Signature) or 'standard' (Standard Webhooks).",
            DefaultValueFactory = _ => Wandb,
        };
        option.AcceptOnlyFromAmong(Wandb, Standard);
        return option;
    }

    public static Option<string> Payload(string description) => new("--payload")
    {
        Description = description,
        Required = true,
    };

    public static WebhookSigningScheme ToScheme(string? value) =>
        string.Equals(value, Standard, StringComparison.Ordinal) ? WebhookSigningScheme.StandardWebhooks : WebhookSigningScheme.Wandb;

    /// <summary>Reads the payload file's exact bytes; null (after writing the problem to stderr) when it cannot be read.</summary>
    public static async Task<byte[]?> ReadPayloadAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"--payload: cannot read '{path}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Writes every validation problem, named after the CLI option (never a secret: the library keeps secrets out of its messages).</summary>
    public static async Task<int> ReportAsync(CliContext context, AutomationValidationException ex)
    {
        foreach (var problem in ex.Problems)
        {
            var path = problem.Path switch
            {
                var p when p.StartsWith("secrets", StringComparison.Ordinal) => "--secret" + p["secrets".Length..],
                "messageId" => "--id",
                "timestamp" => "--timestamp",
                var p => p,
            };
            await context.Error.WriteLineAsync((problem with { Path = path }).ToString()).ConfigureAwait(false);
        }

        return CliApp.Usage;
    }
}
