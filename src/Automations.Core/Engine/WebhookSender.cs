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
/// dispatcher. Shared by the webhook and notification handlers and the "test webhook" API.
/// </summary>
internal sealed class WebhookSender(IWebhookDispatcher dispatcher, ISecretResolver secrets, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CachedSigner> _signers = new(StringComparer.Ordinal);

    /// <summary>Signs and sends; a missing or invalid secret is a refusal (no request is made).</summary>
    public async Task<WebhookSendResult> SendAsync(WebhookIntegration integration, ReadOnlyMemory<byte> body, string deliveryId, CancellationToken cancellationToken)
    {
        string? secret = null;
        string? token = null;
        if (integration.IsSigned)
        {
            secret = await secrets.GetSecretAsync(integration.EntityName, integration.SigningSecretName!, cancellationToken).ConfigureAwait(false);
            if (secret is null)
            {
                return WebhookSendResult.Refused($"The signing secret '{integration.SigningSecretName}' does not exist in team '{integration.EntityName}'.");
            }
        }

        if (integration.AccessTokenSecretName is { } tokenName)
        {
            token = await secrets.GetSecretAsync(integration.EntityName, tokenName, cancellationToken).ConfigureAwait(false);
            if (token is null)
            {
                return WebhookSendResult.Refused($"The access-token secret '{tokenName}' does not exist in team '{integration.EntityName}'.");
            }
        }

        WebhookSigner? signer = null;
        if (secret is not null || token is not null)
        {
            try
            {
                signer = GetSigner(integration, secret, token);
            }
            catch (AutomationValidationException ex)
            {
                // The problems name the field, never the value.
                return WebhookSendResult.Refused("The integration's signing secret or access token cannot be used: " + string.Join("; ", ex.Problems.Select(p => p.Message)));
            }
        }

        var headers = new List<KeyValuePair<string, string>>(4);
        if (signer is not null)
        {
            foreach (var header in signer.Sign(deliveryId, time.GetUtcNow(), body.Span))
            {
                headers.Add(header);
            }
        }

        var request = new WebhookDispatchRequest(integration.Url, body, deliveryId, headers);
        var outcome = await dispatcher.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        return new WebhookSendResult(outcome, null);
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

/// <summary>The outcome of <see cref="WebhookSender.SendAsync"/>: a dispatch outcome, or a refusal before sending.</summary>
internal sealed record WebhookSendResult(WebhookDispatchOutcome? Outcome, string? RefusalReason)
{
    public static WebhookSendResult Refused(string reason) => new(null, reason);
}
