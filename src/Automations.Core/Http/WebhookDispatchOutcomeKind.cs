namespace Automations.Core.Http;

/// <summary>What became of one webhook delivery attempt.</summary>
public enum WebhookDispatchOutcomeKind
{
    /// <summary>The endpoint answered 2xx within the timeout.</summary>
    Succeeded = 0,

    /// <summary>
    /// A failure worth retrying later: 5xx, 408, 429, a timeout, a refused or reset connection, a name-resolution,
    /// TLS or protocol error. <see cref="WebhookDispatchOutcome.RetryAfter"/> carries the endpoint's wish, if any.
    /// </summary>
    RetryableFailure,

    /// <summary>A failure retrying will not fix: other 4xx, and every 3xx (redirects are never followed).</summary>
    PermanentFailure,

    /// <summary>The endpoint answered 410 Gone: the integration should be disabled.</summary>
    EndpointGone,

    /// <summary>The SSRF endpoint policy refused the URL or the addresses its host resolves to; nothing was sent.</summary>
    RefusedByPolicy,
}
