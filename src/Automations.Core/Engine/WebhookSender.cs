using System.Collections.Concurrent;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Integrations;
using Automations.Core.Http;
using Automations.Core.Secrets;
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

    /// <summary>
    /// Signs and sends; a missing, undecryptable or invalid secret is a refusal (no request is made). A signing
    /// secret replaced with a grace period signs with the current and the previous value (Standard Webhooks); the
    /// single W&amp;B signature uses the current one. The values used (secrets, token, signatures) are added to
    /// <paramref name="redactor"/> so the caller can mask them in anything it records.
    /// </summary>
    public async Task<WebhookSendResult> SendAsync(WebhookIntegration integration, ReadOnlyMemory<byte> body, string deliveryId, CancellationToken cancellationToken, SecretRedactor? redactor = null)
    {
        IReadOnlyList<string>? signing = null;
        string? token = null;
        try
        {
            if (integration.IsSigned)
            {
                signing = await secrets.GetSigningSecretsAsync(integration.EntityName, integration.SigningSecretName!, cancellationToken).ConfigureAwait(false);
                if (signing is null || signing.Count == 0)
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
        }
        catch (SecretDecryptionException ex)
        {
            return WebhookSendResult.Refused(ex.Message);
        }

        if (redactor is not null)
        {
            foreach (var value in signing ?? [])
            {
                redactor.Add(value);
            }

            redactor.Add(token);
        }

        WebhookSigner? signer = null;
        if (signing is not null || token is not null)
        {
            try
            {
                signer = GetSigner(integration, signing, token);
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
                if (redactor is not null && !string.Equals(header.Key, WebhookHeaderNames.WebhookId, StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(header.Key, WebhookHeaderNames.WebhookTimestamp, StringComparison.OrdinalIgnoreCase))
                {
                    redactor.Add(header.Value);
                    foreach (var part in header.Value.Split(' ', ','))
                    {
                        if (part.Length >= 16)
                        {
                            redactor.Add(part);
                        }
                    }
                }
            }
        }

        var request = new WebhookDispatchRequest(integration.Url, body, deliveryId, headers);
        var outcome = await dispatcher.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        return new WebhookSendResult(outcome, null);
    }

    private WebhookSigner GetSigner(WebhookIntegration integration, IReadOnlyList<string>? signing, string? token)
    {
        var schemes = signing is null ? WebhookSigningScheme.None : integration.SigningScheme;

        // X-Wandb-Signature carries one signature: only Standard Webhooks signs with a previous value too.
        IReadOnlyList<string> keys = signing is null ? [] : schemes.HasFlag(WebhookSigningScheme.StandardWebhooks) ? signing : [signing[0]];
        if (_signers.TryGetValue(integration.Id, out var cached)
            && cached.Schemes == schemes
            && cached.Secrets.SequenceEqual(keys, StringComparer.Ordinal)
            && string.Equals(cached.Token, token, StringComparison.Ordinal))
        {
            return cached.Signer;
        }

        WebhookSigner signer;
        if (keys.Count == 0)
        {
            signer = new WebhookSigner([], token);
        }
        else
        {
            try
            {
                signer = WebhookSigner.FromSecrets(schemes, keys, token);
            }
            catch (AutomationValidationException) when (keys.Count > 1)
            {
                // A previous value that cannot sign (say a W&B pass phrase before a switch to whsec_) is dropped.
                keys = [keys[0]];
                signer = WebhookSigner.FromSecrets(schemes, keys, token);
            }
        }

        _signers[integration.Id] = new CachedSigner(schemes, [.. keys], token, signer);
        return signer;
    }

    private sealed record CachedSigner(WebhookSigningScheme Schemes, string[] Secrets, string? Token, WebhookSigner Signer)
    {
        public override string ToString() => $"signer ({Schemes})";
    }
}

/// <summary>The outcome of <see cref="WebhookSender.SendAsync"/>: a dispatch outcome, or a refusal before sending.</summary>
internal sealed record WebhookSendResult(WebhookDispatchOutcome? Outcome, string? RefusalReason)
{
    public static WebhookSendResult Refused(string reason) => new(null, reason);
}
