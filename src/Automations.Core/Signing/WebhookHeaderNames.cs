namespace Automations.Core.Signing;

/// <summary>Names of the HTTP headers a signed webhook delivery carries.</summary>
public static class WebhookHeaderNames
{
    /// <summary>W&amp;B's signature header: base64 of HMAC-SHA256 over the exact body.</summary>
    public const string WandbSignature = "X-Wandb-Signature";

    /// <summary>Standard Webhooks message id; the same for every retry of a delivery.</summary>
    public const string WebhookId = "webhook-id";

    /// <summary>Standard Webhooks attempt time as integer unix seconds.</summary>
    public const string WebhookTimestamp = "webhook-timestamp";

    /// <summary>Standard Webhooks signatures: a space-separated list of <c>v1,&lt;base64&gt;</c> entries.</summary>
    public const string WebhookSignature = "webhook-signature";

    /// <summary>The <c>Authorization</c> header, sent as <c>Bearer &lt;token&gt;</c> when a webhook has an access token.</summary>
    public const string Authorization = "Authorization";
}
