namespace Automations.Core.Signing;

/// <summary>Outcome of verifying a received webhook's signature.</summary>
public enum WebhookVerificationStatus
{
    /// <summary>Nothing was verified: the value of a default <see cref="WebhookVerificationResult"/>. Never returned by a verifier, and not valid.</summary>
    None = 0,

    /// <summary>A signature matched and (for Standard Webhooks) the timestamp is within the tolerance.</summary>
    Valid = 1,

    /// <summary>The signature header was well formed but no signature in it matched any key.</summary>
    InvalidSignature = 2,

    /// <summary>The <c>webhook-timestamp</c> is older than now minus the tolerance (possible replay).</summary>
    TimestampTooOld = 3,

    /// <summary>The <c>webhook-timestamp</c> is later than now plus the tolerance.</summary>
    TimestampTooNew = 4,

    /// <summary>A required header is missing or empty.</summary>
    MissingHeader = 5,

    /// <summary>A header is present but cannot be read (a timestamp that is not unix seconds, a signature list with no readable entry).</summary>
    MalformedHeader = 6,
}
