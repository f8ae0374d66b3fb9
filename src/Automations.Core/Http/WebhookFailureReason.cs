namespace Automations.Core.Http;

/// <summary>The cause of a failed delivery attempt, finer than <see cref="WebhookDispatchOutcomeKind"/>.</summary>
public enum WebhookFailureReason
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The endpoint answered with a non-2xx status (see <see cref="WebhookDispatchOutcome.StatusCode"/>).</summary>
    HttpStatus,

    /// <summary>No response within the configured timeout.</summary>
    Timeout,

    /// <summary>The endpoint refused the TCP connection.</summary>
    ConnectionRefused,

    /// <summary>The connection was reset or closed before a complete response arrived.</summary>
    ConnectionReset,

    /// <summary>The host name could not be resolved.</summary>
    NameResolution,

    /// <summary>The connection failed for another network reason (unreachable host or network).</summary>
    ConnectionFailed,

    /// <summary>The TLS handshake failed (for example an invalid certificate).</summary>
    TlsFailure,

    /// <summary>The endpoint's response was not valid HTTP.</summary>
    ProtocolError,

    /// <summary>The endpoint policy refused the target (see <see cref="WebhookDispatchOutcome.PolicyDecision"/>).</summary>
    RefusedByPolicy,
}
