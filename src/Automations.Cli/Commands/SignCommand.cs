using System.CommandLine;
using Automations.Core.Domain;
using Automations.Core.Signing;

namespace Automations.Cli.Commands;

/// <summary><c>automations sign</c>: prints the signature headers a webhook delivery of a payload file would carry.</summary>
internal static class SignCommand
{
    /// <summary>Largest unix time a <see cref="DateTimeOffset"/> can hold.</summary>
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static Command Create(CliContext context)
    {
        var secret = SigningCliOptions.Secret(
            "Signing secret. wandb: any string (its UTF-8 bytes are the key). standard: a whsec_ secret; repeat to sign with several keys (rotation).");
        var scheme = SigningCliOptions.Scheme();
        var id = new Option<string?>("--id") { Description = "Standard Webhooks message id (default: a new msg_... id)." };
        var timestamp = new Option<long?>("--timestamp") { Description = "Standard Webhooks timestamp in unix seconds (default: now)." };
        var payload = SigningCliOptions.Payload("Path of the file holding the exact body bytes to sign.");

        var command = new Command("sign", "Print the signature headers for a payload, one 'Name: value' per line.")
        {
            secret, scheme, id, timestamp, payload,
        };
        command.SetAction(async (parse, ct) =>
        {
            var schemes = SigningCliOptions.ToScheme(parse.GetValue(scheme));
            var unix = parse.GetValue(timestamp);
            if (unix is < 0 || unix > MaxUnixSeconds)
            {
                await context.Error.WriteLineAsync($"--timestamp: must be unix seconds between 0 and {MaxUnixSeconds}.").ConfigureAwait(false);
                return CliApp.Usage;
            }

            var messageId = parse.GetValue(id);
            if (schemes == WebhookSigningScheme.Wandb && (messageId is not null || unix is not null))
            {
                await context.Error.WriteLineAsync("note: --id and --timestamp apply to --scheme standard only; ignored.").ConfigureAwait(false);
            }

            WebhookSigner signer;
            try
            {
                signer = WebhookSigner.FromSecrets(schemes, parse.GetValue(secret) ?? []);
            }
            catch (AutomationValidationException ex)
            {
                return await SigningCliOptions.ReportAsync(context, ex).ConfigureAwait(false);
            }

            var body = await SigningCliOptions.ReadPayloadAsync(context, parse.GetValue(payload)!, ct).ConfigureAwait(false);
            if (body is null)
            {
                return CliApp.Usage;
            }

            WebhookSignatureHeaders headers;
            try
            {
                var time = unix is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : TimeProvider.System.GetUtcNow();
                headers = signer.Sign(messageId ?? WebhookSigner.NewMessageId(), time, body);
            }
            catch (AutomationValidationException ex)
            {
                return await SigningCliOptions.ReportAsync(context, ex).ConfigureAwait(false);
            }

            foreach (var (name, value) in headers)
            {
                await context.Out.WriteLineAsync($"{name}: {value}").ConfigureAwait(false);
            }

            return CliApp.Ok;
        });
        return command;
    }
}
