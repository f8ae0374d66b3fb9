using System.CommandLine;
using Automations.Core.Domain;
using Automations.Core.Signing;

namespace Automations.Cli.Commands;

/// <summary><c>automations verify</c>: checks received signature headers against a payload file, as a receiver would.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var secret = SigningCliOptions.Secret(
            "The secret the sender signs with; repeat to accept any of several (rotation).");
        var header = new Option<string[]>("--header")
        {
            Description = "A received header as \"Name: value\" (repeat for each header).",
            Arity = ArgumentArity.OneOrMore,
        };
        var scheme = SigningCliOptions.Scheme();
        var tolerance = new Option<int>("--tolerance")
        {
            Description = "Standard Webhooks: allowed distance between webhook-timestamp and now, in seconds.",
            DefaultValueFactory = _ => (int)StandardWebhooksVerifier.DefaultTolerance.TotalSeconds,
        };
        var now = new Option<long?>("--now") { Description = "Standard Webhooks: the time to check against, in unix seconds (default: the clock)." };
        var payload = SigningCliOptions.Payload("Path of the file holding the exact body bytes received.");

        var command = new Command("verify", "Verify a webhook's signature headers; prints 'valid' (exit 0) or the reason on stderr (exit 1).")
        {
            secret, header, scheme, tolerance, now, payload,
        };
        command.SetAction(async (parse, ct) =>
        {
            var headers = await ParseHeadersAsync(context, parse.GetValue(header) ?? []).ConfigureAwait(false);
            if (headers is null)
            {
                return CliApp.Usage;
            }

            var seconds = parse.GetValue(tolerance);
            if (seconds < 0)
            {
                await context.Error.WriteLineAsync("--tolerance: must not be negative.").ConfigureAwait(false);
                return CliApp.Usage;
            }

            var nowSeconds = parse.GetValue(now);
            if (nowSeconds is < 0 || nowSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                await context.Error.WriteLineAsync("--now: must be unix seconds from 0 on.").ConfigureAwait(false);
                return CliApp.Usage;
            }

            var schemes = SigningCliOptions.ToScheme(parse.GetValue(scheme));
            var secrets = parse.GetValue(secret) ?? [];
            Func<ReadOnlyMemory<byte>, WebhookVerificationResult> verify;
            try
            {
                var keys = secrets.Select((s, i) => CreateKey(schemes, s, i)).ToArray();
                if (schemes == WebhookSigningScheme.Wandb)
                {
                    var verifier = new WandbSignatureVerifier(keys);
                    verify = body => verifier.Verify(body.Span, Get(headers, WebhookHeaderNames.WandbSignature));
                }
                else
                {
                    TimeProvider clock = nowSeconds is { } fixedNow
                        ? new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(fixedNow))
                        : TimeProvider.System;
                    var verifier = new StandardWebhooksVerifier(keys, clock, TimeSpan.FromSeconds(seconds));
                    verify = body => verifier.Verify(
                        body.Span,
                        Get(headers, WebhookHeaderNames.WebhookId),
                        Get(headers, WebhookHeaderNames.WebhookTimestamp),
                        Get(headers, WebhookHeaderNames.WebhookSignature));
                }
            }
            catch (AutomationValidationException ex)
            {
                return await SigningCliOptions.ReportAsync(context, ex).ConfigureAwait(false);
            }

            var payloadBytes = await SigningCliOptions.ReadPayloadAsync(context, parse.GetValue(payload)!, ct).ConfigureAwait(false);
            if (payloadBytes is null)
            {
                return CliApp.Usage;
            }

            var result = verify(payloadBytes);
            if (result.IsValid)
            {
                await context.Out.WriteLineAsync("valid").ConfigureAwait(false);
                return CliApp.Ok;
            }

            await context.Error.WriteLineAsync($"invalid ({result.Status}): {result.Reason}").ConfigureAwait(false);
            return CliApp.Negative;
        });
        return command;
    }

    private static WebhookSigningKey CreateKey(WebhookSigningScheme scheme, string secret, int index)
    {
        try
        {
            return WebhookSigningKey.Create(scheme, secret);
        }
        catch (AutomationValidationException ex)
        {
            throw new AutomationValidationException(ex.Problems.Select(p => p with { Path = $"--secret[{index}]" }));
        }
    }

    private static string? Get(Dictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses "Name: value" lines; null (after writing the problem) when one is not a header or a name repeats.</summary>
    private static async Task<Dictionary<string, string>?> ParseHeadersAsync(CliContext context, string[] lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? string.Empty : line[..colon].Trim();
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                await context.Error.WriteLineAsync($"--header: expected \"Name: value\", got \"{line}\".").ConfigureAwait(false);
                return null;
            }

            if (!headers.TryAdd(name, line[(colon + 1)..].Trim()))
            {
                await context.Error.WriteLineAsync($"--header: {name} is given more than once.").ConfigureAwait(false);
                return null;
            }
        }

        return headers;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>A clock stopped at the time given with <c>--now</c>.</summary>
    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
