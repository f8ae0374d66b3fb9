using System.Collections.Concurrent;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Integrations;
using Automations.Core.Http;
using Automations.Core.Signing;

namespace Automations.Core.Engine;

/// <summary>
/// Sends a rendered body to a webhook integration exactly as deliveries do: resolves the integration's signing
/// secret and access token (at send time, never stored), signs, and dispatches through the SSRF-guarded
/// dispatcher. Shared by the webhook and notification handlers and the "test webhook" API (<see cref="WebhookTester"/>).
/// </summary>
internal sealed class WebhookSender(IWebhookDispatcher dispatcher, ISecretResolver secrets, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CachedSigner> _signers = new(StringComparer.Ordinal);

    /// <summary>Signs and sends; a missing or invalid secret is a refusal (no request is made).</summary>
    public async Task<WebhookSendResult> SendAsync(WebhookIntegration integration, ReadOnlyMemory<byte> body, string deliveryId, CancellationToken cancellationToken)
    {
        var credentials = await ResolveCredentialsAsync(integration, cancellationToken).ConfigureAwait(false);
        if (credentials.RefusalReason is { } reason)
        {
            return WebhookSendResult.Refused(reason);
        }

        return await SendAsync(integration.Url, credentials.Signer, body, deliveryId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the integration's signing secret and access token from the team's secrets and builds (or reuses) its
    /// signer. A secret that is missing or unusable is a refusal, named by the secret's name, never its value.
    /// </summary>
    public async Task<WebhookCredentials> ResolveCredentialsAsync(WebhookIntegration integration, CancellationToken cancellationToken)
    {
        string? secret = null;
        string? token = null;
        if (integration.IsSigned)
        {
            secret = await secrets.GetSecretAsync(integration.EntityName, integration.SigningSecretName!, cancellationToken).ConfigureAwait(false);
            if (secret is null)
            {
                return WebhookCredentials.Refused($"The signing secret '{integration.SigningSecretName}' does not exist in team '{integration.EntityName}'.");
            }
        }

        if (integration.AccessTokenSecretName is { } tokenName)
        {
            token = await secrets.GetSecretAsync(integration.EntityName, tokenName, cancellationToken).ConfigureAwait(false);
            if (token is null)
            {
                return WebhookCredentials.Refused($"The access-token secret '{tokenName}' does not exist in team '{integration.EntityName}'.");
            }
        }

        if (secret is null && token is null)
        {
            return WebhookCredentials.None;
        }

        try
        {
            return new WebhookCredentials(GetSigner(integration, secret, token), secret, token, null);
        }
        catch (AutomationValidationException ex)
        {
            // The problems name the field, never the value.
            return WebhookCredentials.Refused("The integration's signing secret or access token cannot be used: " + string.Join("; ", ex.Problems.Select(p => p.Message)));
        }
    }

    /// <summary>Signs <paramref name="body"/> with <paramref name="signer"/> (if any) and dispatches it once to <paramref name="url"/>.</summary>
    public async Task<WebhookSendResult> SendAsync(Uri url, WebhookSigner? signer, ReadOnlyMemory<byte> body, string deliveryId, CancellationToken cancellationToken)
    {
        var headers = new List<KeyValuePair<string, string>>(5);
        if (signer is not null)
        {
            foreach (var header in signer.Sign(deliveryId, time.GetUtcNow(), body.Span))
            {
                headers.Add(header);
            }
        }

        var request = new WebhookDispatchRequest(url, body, deliveryId, headers);
        var outcome = await dispatcher.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        return new WebhookSendResult(outcome, null, request);
    }

    private WebhookSigner GetSigner(WebhookIntegration integration, string? secret, string? token)
    {
        var schemes = secret is null ? WebhookSigningScheme.None : integration.SigningScheme;
        if (_signers.TryGetValue(integration.Id, out var cached)
            && cached.Schemes == schemes
            && string.Equals(cached.Secret, secret, StringComparison.Ordinal)
            && string.Equals(cached.Token, token, StringComparison.Ordinal))
        {
            return cached.Signer;
        }

        var signer = secret is null
            ? new WebhookSigner([], token)
            : WebhookSigner.FromSecrets(schemes, [secret], token);
        _signers[integration.Id] = new CachedSigner(schemes, secret, token, signer);
        return signer;
    }

    private sealed record CachedSigner(WebhookSigningScheme Schemes, string? Secret, string? Token, WebhookSigner Signer)
    {
        public override string ToString() => $"signer ({Schemes})";
    }
}

/// <summary>
/// The outcome of <see cref="WebhookSender"/>'s send: a dispatch outcome and the request sent (whose header values
/// may be secrets), or a refusal before sending.
/// </summary>
internal sealed record WebhookSendResult(WebhookDispatchOutcome? Outcome, string? RefusalReason, WebhookDispatchRequest? Request = null)
{
    public static WebhookSendResult Refused(string reason) => new(null, reason);
}

/// <summary>
/// An integration's resolved credentials: its signer (null when unsigned and without a token) and the raw secret
/// and token values (kept only to scrub them from test output), or why they cannot be used.
/// </summary>
internal sealed class WebhookCredentials(WebhookSigner? signer, string? secret, string? token, string? refusalReason)
{
    public static WebhookCredentials None { get; } = new(null, null, null, null);

    public WebhookSigner? Signer { get; } = signer;

    public string? Secret { get; } = secret;

    public string? Token { get; } = token;

    public string? RefusalReason { get; } = refusalReason;

    public static WebhookCredentials Refused(string reason) => new(null, null, null, reason);

    public override string ToString() => RefusalReason is null
        ? $"WebhookCredentials {{ Signer = {Signer?.ToString() ?? "none"}, Secret = {(Secret is null ? "none" : "[redacted]")}, Token = {(Token is null ? "none" : "[redacted]")} }}"
        : $"WebhookCredentials {{ Refused = {RefusalReason} }}";
}
