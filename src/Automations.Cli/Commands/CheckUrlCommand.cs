using System.CommandLine;
using Automations.Core.Http;
using Automations.Core.Domain.Endpoints;

namespace Automations.Cli.Commands;

/// <summary>
/// <c>automations check-url &lt;url&gt; [--resolve] [--allow-loopback]</c>: applies the SSRF endpoint policy to a URL.
/// Prints <c>allowed</c> (exit 0) or <c>refused (Reason): message</c> (exit 1).
/// </summary>
internal static class CheckUrlCommand
{
    public static Command Create(CliContext context) => Create(context, DnsHostAddressResolver.Instance);

    /// <summary>Builds the command with a given resolver (tests map names without DNS).</summary>
    internal static Command Create(CliContext context, IHostAddressResolver resolver)
    {
        var url = new Argument<string>("url") { Description = "The webhook endpoint URL to check." };
        var resolve = new Option<bool>("--resolve")
        {
            Description = "Also resolve the host and check every address it resolves to (the connect-time check).",
        };
        var allowLoopback = new Option<bool>("--allow-loopback")
        {
            Description = "Allow loopback targets (localhost, 127.0.0.0/8, ::1), including plain http to them. For development only.",
        };

        var command = new Command("check-url", "Check a webhook URL against the SSRF endpoint policy.");
        command.Arguments.Add(url);
        command.Options.Add(resolve);
        command.Options.Add(allowLoopback);
        command.SetAction(async (parse, ct) =>
        {
            var policy = new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = parse.GetValue(allowLoopback) });
            var text = parse.GetValue(url) ?? string.Empty;
            var decision = parse.GetValue(resolve)
                ? await new EndpointGuard(policy, resolver).CheckUrlAsync(text, ct).ConfigureAwait(false)
                : policy.CheckUrl(text);

            await context.Out.WriteLineAsync(decision.ToString()).ConfigureAwait(false);
            return decision.IsAllowed ? CliApp.Ok : CliApp.Negative;
        });
        return command;
    }
}
