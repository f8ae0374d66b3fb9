using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Automations.Core.Http;
using Automations.Core.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automations.Cli.Demo;

/// <summary>
/// The demo's webhook receiver: Kestrel on <c>127.0.0.1</c> (a free port) standing in for GitHub and Slack. It
/// verifies every request the way a real receiver would — <c>X-Wandb-Signature</c> and Standard Webhooks headers with
/// the team's signing secret, the bearer token — records what it saw, and answers 503 to the first requests of the
/// paths it is told to fail.
/// </summary>
internal sealed class DemoReceiver : IAsyncDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly WandbSignatureVerifier _wandb;
    private readonly StandardWebhooksVerifier _standard;
    private readonly byte[] _expectedAuthorization;
    private readonly ConcurrentDictionary<string, int> _failuresLeft;

    private DemoReceiver(WebApplication app, string signingSecret, string accessToken, IReadOnlyDictionary<string, int> failFirst)
    {
        _app = app;
        _wandb = new WandbSignatureVerifier(signingSecret);
        _standard = new StandardWebhooksVerifier(signingSecret);
        _expectedAuthorization = Encoding.UTF8.GetBytes("Bearer " + accessToken);
        _failuresLeft = new ConcurrentDictionary<string, int>(failFirst, StringComparer.Ordinal);
    }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The receiver's base address, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts a receiver.</summary>
    /// <param name="signingSecret">The team's signing secret (a receiver knows it to verify signatures).</param>
    /// <param name="accessToken">The bearer token the receiver expects.</param>
    /// <param name="failFirst">Per path, how many first requests are answered 503.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running receiver.</returns>
    public static async Task<DemoReceiver> StartAsync(string signingSecret, string accessToken, IReadOnlyDictionary<string, int> failFirst, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new DemoReceiver(app, signingSecret, accessToken, failFirst);
        app.Run(receiver.HandleAsync);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUri = new Uri(address);
        return receiver;
    }

    /// <summary>An absolute URL on the receiver.</summary>
    /// <param name="path">The path, starting with <c>/</c>.</param>
    /// <returns>The URL.</returns>
    public Uri Url(string path) => new(BaseUri, path);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down anyway.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.Length <= MaxBodyBytes ? buffer.ToArray() : [];
        }

        var wandb = request.Headers.ContainsKey(WebhookHeaderNames.WandbSignature)
            ? _wandb.Verify(body, request.Headers[WebhookHeaderNames.WandbSignature]).IsValid
            : (bool?)null;
        var standard = request.Headers.ContainsKey(WebhookHeaderNames.WebhookSignature)
            ? _standard.Verify(body, request.Headers[WebhookHeaderNames.WebhookId], request.Headers[WebhookHeaderNames.WebhookTimestamp], request.Headers[WebhookHeaderNames.WebhookSignature]).IsValid
            : (bool?)null;
        var authorization = request.Headers.Authorization.ToString();
        var bearer = authorization.Length == 0
            ? (bool?)null
            : CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization), _expectedAuthorization);

        var path = request.Path.Value ?? "/";
        var fail = _failuresLeft.TryGetValue(path, out var left) && left > 0 && _failuresLeft.TryUpdate(path, left - 1, left);
        var status = fail ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        Received.Enqueue(new ReceivedWebhook(path, request.Headers[WebhookDispatcher.DeliveryIdHeaderName].ToString(), status, wandb, standard, bearer, body));

        context.Response.StatusCode = status;
        await context.Response.WriteAsync(fail ? "temporarily unavailable" : "ok", context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>One request the demo receiver saw.</summary>
/// <param name="Path">The request path.</param>
/// <param name="DeliveryId">The <c>X-Automations-Delivery</c> header (stable across retries).</param>
/// <param name="AnsweredStatus">The status the receiver answered.</param>
/// <param name="WandbSignatureValid">Whether <c>X-Wandb-Signature</c> verified; null when absent.</param>
/// <param name="StandardSignatureValid">Whether the Standard Webhooks headers verified; null when absent.</param>
/// <param name="BearerValid">Whether <c>Authorization: Bearer</c> held the expected token; null when absent.</param>
/// <param name="Body">The exact body bytes.</param>
internal sealed record ReceivedWebhook(
    string Path,
    string DeliveryId,
    int AnsweredStatus,
    bool? WandbSignatureValid,
    bool? StandardSignatureValid,
    bool? BearerValid,
    byte[] Body);
