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

    /// <summary>The SSRF-guarded dispatcher the requests are sent through.</summary>
    public IWebhookDispatcher Dispatcher => dispatcher;

    /// <summary>
    /// Builds the signed request to send to <paramref name="integration"/> (send it with <see cref="Dispatcher"/>);
    /// a missing, undecryptable or invalid secret is a refusal (no request). A signing secret replaced with a grace
    /// period signs with the current and the previous value (Standard Webhooks); the single W&amp;B signature uses
    /// the current one. The values used (secrets, token, signatures) are added to <paramref name="redactor"/> so the
    /// caller can mask them in anything it records. The request borrows <paramref name="body"/>: keep it unchanged
    /// until the dispatch returned.
    /// </summary>
    public async ValueTask<(WebhookDispatchRequest? Request, string? RefusalReason)> PrepareAsync(
        WebhookIntegration integration, ReadOnlyMemory<byte> body, string deliveryId, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        var credentials = await ResolveCredentialsAsync(integration, cancellationToken).ConfigureAwait(false);
        if (credentials.RefusalReason is { } reason)
        {
            return (null, reason);
        }

        var values = credentials.Secrets;
        for (var i = 0; i < values.Count; i++)
        {
            redactor.Add(values[i], integration.SigningSecretName);
        }

        redactor.Add(credentials.Token, integration.AccessTokenSecretName);
        var request = BuildRequest(integration.Url, credentials.Signer, body, deliveryId);

        // Signatures are secret-derived: mask them too if the receiver echoes them.
        redactor.AddSignatureHeaders(request.Headers);
        return (request, null);
    }

    /// <summary>
    /// Reads the integration's signing secret(s) and access token from the team's secrets and builds (or reuses) its
    /// signer. A secret that is missing, undecryptable or unusable is a refusal, named by the secret's name, never
    /// its value.
    /// </summary>
    public async ValueTask<WebhookCredentials> ResolveCredentialsAsync(WebhookIntegration integration, CancellationToken cancellationToken)
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
        }
        catch (SecretDecryptionException ex)
        {
            return WebhookCredentials.Refused(ex.Message);
        }

        if (signing is null && token is null)
        {
            return WebhookCredentials.None;
        }

        try
        {
            return GetCredentials(integration, signing, token);
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
        var request = BuildRequest(url, signer, body, deliveryId);
        var outcome = await dispatcher.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        return new WebhookSendResult(outcome, request);
    }

    /// <summary>The signed request; its body is the caller's buffer, which must stay unchanged until the dispatch returned.</summary>
    private WebhookDispatchRequest BuildRequest(Uri url, WebhookSigner? signer, ReadOnlyMemory<byte> body, string deliveryId)
    {
        KeyValuePair<string, string>[] headers = [];
        if (signer is not null)
        {
            var signed = signer.Sign(deliveryId, time.GetUtcNow(), body.Span);
            headers = new KeyValuePair<string, string>[signed.Count];
            var i = 0;
            foreach (var header in signed)
            {
                headers[i++] = header;
            }
        }

        // The body is the caller's rendered buffer, kept until the dispatch returns: no copy.
        return WebhookDispatchRequest.Borrowing(url, body, deliveryId, headers);
    }

    /// <summary>
    /// The integration's credentials, reused while its scheme, secret values and token are unchanged (the signer holds
    /// a keyed HMAC; building one per delivery would cost more than signing).
    /// </summary>
    private WebhookCredentials GetCredentials(WebhookIntegration integration, IReadOnlyList<string>? signing, string? token)
    {
        var schemes = signing is null ? WebhookSigningScheme.None : integration.SigningScheme;
        if (_signers.TryGetValue(integration.Id, out var cached)
            && cached.Schemes == schemes
            && SameValues(cached.Signing, signing)
            && string.Equals(cached.Token, token, StringComparison.Ordinal))
        {
            return cached.Credentials;
        }

        var credentials = new WebhookCredentials(CreateSigner(schemes, signing, token), signing ?? [], token, null);
        _signers[integration.Id] = new CachedSigner(schemes, signing is null ? [] : [.. signing], token, credentials);
        return credentials;
    }

    private static bool SameValues(string[] cached, IReadOnlyList<string>? current)
    {
        if (cached.Length != (current?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < cached.Length; i++)
        {
            if (!string.Equals(cached[i], current![i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static WebhookSigner CreateSigner(WebhookSigningScheme schemes, IReadOnlyList<string>? signing, string? token)
    {
        // X-Wandb-Signature carries one signature: only Standard Webhooks signs with a previous value too.
        IReadOnlyList<string> keys = signing is null ? [] : schemes.HasFlag(WebhookSigningScheme.StandardWebhooks) ? signing : [signing[0]];

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

        return signer;
    }

    private sealed record CachedSigner(WebhookSigningScheme Schemes, string[] Signing, string? Token, WebhookCredentials Credentials)
    {
        public override string ToString() => $"signer ({Schemes})";
    }
}

/// <summary>
/// The outcome of <see cref="WebhookSender"/>'s send to a URL: the dispatch outcome and the request sent (whose
/// header values may be secrets).
/// </summary>
internal sealed record WebhookSendResult(WebhookDispatchOutcome Outcome, WebhookDispatchRequest Request);

/// <summary>
/// An integration's resolved credentials: its signer (null when unsigned and without a token) and the raw secret
/// values and token (kept only to mask them in what is recorded or shown), or why they cannot be used.
/// </summary>
internal sealed class WebhookCredentials(WebhookSigner? signer, IReadOnlyList<string> secrets, string? token, string? refusalReason)
{
    public static WebhookCredentials None { get; } = new(null, [], null, null);

    public WebhookSigner? Signer { get; } = signer;

    public IReadOnlyList<string> Secrets { get; } = secrets;

    public string? Token { get; } = token;

    public string? RefusalReason { get; } = refusalReason;

    public static WebhookCredentials Refused(string reason) => new(null, [], null, reason);

    public override string ToString() => RefusalReason is null
        ? $"WebhookCredentials {{ Signer = {Signer?.ToString() ?? "none"}, Secrets = {Secrets.Count} [redacted], Token = {(Token is null ? "none" : "[redacted]")} }}"
        : $"WebhookCredentials {{ Refused = {RefusalReason} }}";
}
