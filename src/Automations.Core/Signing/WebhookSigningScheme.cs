namespace Automations.Core.Signing;

/// <summary>Which signature headers a webhook delivery carries. Both schemes may be combined.</summary>
[Flags]
public enum WebhookSigningScheme
{
    /// <summary>No signature header (the delivery is not signed).</summary>
    None = 0,

    /// <summary>
    /// W&amp;B's <c>X-Wandb-Signature</c>: base64 of HMAC-SHA256 keyed with the secret's UTF-8 bytes over the exact body.
    /// </summary>
    Wandb = 1,

    /// <summary>
    /// Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature: v1,&lt;base64&gt;</c>
    /// over <c>id.timestamp.body</c>, keyed with the base64-decoded <c>whsec_</c> secret.
    /// </summary>
    StandardWebhooks = 2,
}
