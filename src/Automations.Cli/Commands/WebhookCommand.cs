using System.CommandLine;
using System.Text;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain;
using Automations.Core.Engine;
using Automations.Core.Http;
using Automations.Core.Signing;
using Microsoft.Extensions.DependencyInjection;
using Automations.Core.Domain.Endpoints;

namespace Automations.Cli.Commands;

/// <summary>
/// <c>automations webhook test --url &lt;url&gt; [--secret-value &lt;v&gt;] [--access-token &lt;v&gt;] [--scheme wandb|standard]
/// [--payload &lt;JSON|path&gt;] [--timeout &lt;seconds&gt;] [--allow-loopback]</c>: sends one POST exactly as a delivery
/// would (same endpoint policy, signing and dispatcher, through <see cref="WebhookTester"/>) and prints the status
/// line, the response headers and the capped body to standard output; the request headers sent (signature and
/// token redacted) and a summary go to standard error. Exit 0 on 2xx; 1 when refused, timed out, unreachable or
/// answered 3xx/4xx/5xx; 2 on bad usage. The secret and token values are never printed.
/// </summary>
internal static class WebhookCommand
{
    private const double MaxTimeoutSeconds = 600;

    public static Command Create(CliContext context) => Create(context, null, null);

    /// <summary>Builds the command with a given clock and resolver (tests drive timeouts and map names without DNS).</summary>
    internal static Command Create(CliContext context, TimeProvider? timeProvider, IHostAddressResolver? resolver)
    {
        var command = new Command("webhook", "Work with webhook endpoints.");
        command.Subcommands.Add(CreateTest(context, timeProvider, resolver));
        return command;
    }

    private static Command CreateTest(CliContext context, TimeProvider? timeProvider, IHostAddressResolver? resolver)
    {
        var url = new Option<string>("--url") { Description = "The endpoint URL (https; plain http only for loopback with --allow-loopback).", Required = true };
        var secretValue = new Option<string?>("--secret-value")
        {
            Description = "Signing secret. wandb: any string (its UTF-8 bytes are the key). standard: a whsec_ secret. Never printed.",
        };
        var accessToken = new Option<string?>("--access-token") { Description = "Sent as 'Authorization: Bearer <token>'. Never printed." };
        var scheme = new Option<string[]>("--scheme")
        {
            Description = "Signature scheme for --secret-value: 'wandb' (X-Wandb-Signature, default) or 'standard' (Standard Webhooks); repeat for both.",
            Arity = ArgumentArity.OneOrMore,
        };
        scheme.AcceptOnlyFromAmong(SigningCliOptions.Wandb, SigningCliOptions.Standard);
        var payload = new Option<string?>("--payload")
        {
            Description = "The JSON body to send, inline or the path of a file holding it (default: the GitHub repository_dispatch preset rendered for a sample event).",
        };
        var timeout = new Option<double?>("--timeout")
        {
            Description = $"Seconds to wait for the answer (default {WebhookDispatcherOptions.DefaultTimeout.TotalSeconds:0}, at most {MaxTimeoutSeconds:0}).",
        };
        var allowLoopback = new Option<bool>("--allow-loopback")
        {
            Description = "Allow loopback targets (localhost, 127.0.0.0/8, ::1), including plain http to them. For development only.",
        };

        var command = new Command("test", "Send one test POST to a webhook endpoint and print its answer. Exit 0: 2xx, 1: refused or failed, 2: bad usage.")
        {
            url, secretValue, accessToken, scheme, payload, timeout, allowLoopback,
        };
        command.SetAction(async (parse, ct) =>
        {
            var problems = new List<string>();
            var seconds = parse.GetValue(timeout);
            if (seconds is { } s && (!(s > 0) || s > MaxTimeoutSeconds))
            {
                problems.Add($"--timeout: must be more than 0 and at most {MaxTimeoutSeconds:0} seconds.");
            }

            var secret = parse.GetValue(secretValue);
            var schemes = parse.GetValue(scheme) ?? [];
            if (schemes.Length > 0 && string.IsNullOrEmpty(secret))
            {
                problems.Add("--scheme: applies to a signature; give --secret-value too.");
            }

            ReadOnlyMemory<byte>? body = null;
            if (parse.GetValue(payload) is { } payloadValue)
            {
                if (JsonInput.TryRead(payloadValue, out var json, out var error))
                {
                    body = Encoding.UTF8.GetBytes(json);
                }
                else
                {
                    problems.Add("--payload: " + error);
                }
            }

            WebhookTestRequest? request = null;
            try
            {
                request = new WebhookTestRequest(parse.GetValue(url)!, body, secret, parse.GetValue(accessToken), ToSchemes(schemes));
            }
            catch (AutomationValidationException ex)
            {
                problems.AddRange(ex.Problems.Select(p => $"{OptionName(p.Path)}: {p.Message}"));
            }

            if (problems.Count > 0 || request is null)
            {
                foreach (var problem in problems)
                {
                    await context.Error.WriteLineAsync(problem).ConfigureAwait(false);
                }

                return CliApp.Usage;
            }

            var services = BuildServices(timeProvider, resolver, parse.GetValue(allowLoopback), seconds);
            await using (services.ConfigureAwait(false))
            {
                var result = await services.GetRequiredService<WebhookTester>().TestUrlAsync(request, ct).ConfigureAwait(false);
                await PrintAsync(context, result).ConfigureAwait(false);
                return result.IsSuccess ? CliApp.Ok : CliApp.Negative;
            }
        });
        return command;
    }

    private static ServiceProvider BuildServices(TimeProvider? timeProvider, IHostAddressResolver? resolver, bool allowLoopback, double? timeoutSeconds)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        services.AddAutomations();
        services.AddAutomationsWebhookDispatcher(o =>
        {
            o.EndpointPolicy.AllowLoopback = allowLoopback;
            if (timeoutSeconds is { } seconds)
            {
                o.Timeout = TimeSpan.FromSeconds(seconds);
            }
        });
        return services.BuildServiceProvider();
    }

    private static async Task PrintAsync(CliContext context, WebhookTestResult result)
    {
        foreach (var (name, value) in result.RequestHeaders)
        {
            await context.Error.WriteLineAsync($"> {name}: {value}").ConfigureAwait(false);
        }

        if (result.IsRefused)
        {
            await context.Out.WriteLineAsync("refused: " + result.RefusalReason).ConfigureAwait(false);
            return;
        }

        if (result.StatusCode is not { } status)
        {
            await context.Out.WriteLineAsync($"failed ({result.Outcome!.FailureReason}): {result.Message}").ConfigureAwait(false);
            await context.Error.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            return;
        }

        var output = new StringBuilder();
        output.Append("HTTP ").Append(status);
        if (ReasonPhrase(status) is { } phrase)
        {
            output.Append(' ').Append(phrase);
        }

        output.AppendLine();
        foreach (var (name, value) in result.ResponseHeaders)
        {
            output.Append(name).Append(": ").AppendLine(value);
        }

        output.AppendLine();
        var text = result.GetResponseBodyText();
        output.Append(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            output.AppendLine();
        }

        await context.Out.WriteAsync(output.ToString()).ConfigureAwait(false);
        if (result.IsResponseBodyTruncated)
        {
            await context.Error.WriteLineAsync($"(body truncated to its first {result.ResponseBody.Length} bytes)").ConfigureAwait(false);
        }

        await context.Error.WriteLineAsync(result.ToString()).ConfigureAwait(false);
    }

    private static WebhookSigningScheme ToSchemes(string[] schemes)
    {
        if (schemes.Length == 0)
        {
            return WebhookSigningScheme.Wandb;
        }

        var result = WebhookSigningScheme.None;
        foreach (var scheme in schemes)
        {
            result |= SigningCliOptions.ToScheme(scheme);
        }

        return result;
    }

    private static string OptionName(string path) => path switch
    {
        "body" => "--payload",
        "secretValue" => "--secret-value",
        "accessToken" => "--access-token",
        "signingScheme" => "--scheme",
        _ => path,
    };

    /// <summary>The standard reason phrase of a status code (RFC 9110 and friends), or null for an unknown code.</summary>
    internal static string? ReasonPhrase(int status) => status switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => null,
    };
}
