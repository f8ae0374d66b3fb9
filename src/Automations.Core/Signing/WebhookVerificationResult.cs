namespace Automations.Core.Signing;

/// <summary>
/// Result of verifying a received webhook: a status, the header concerned (for missing or malformed headers) and a
/// human-readable reason. Never contains secrets or signature values. The default value is
/// <see cref="WebhookVerificationStatus.None"/>, which is not valid.
/// </summary>
public readonly record struct WebhookVerificationResult
{
    private readonly string? _reason;

    private WebhookVerificationResult(WebhookVerificationStatus status, string? headerName, string reason)
    {
        Status = status;
        HeaderName = headerName;
        _reason = reason;
    }

    /// <summary>The outcome.</summary>
    public WebhookVerificationStatus Status { get; }

    /// <summary>The header the outcome is about (missing or malformed header); null otherwise.</summary>
    public string? HeaderName { get; }

    /// <summary>A human-readable explanation, safe to log and to return to the sender.</summary>
    public string Reason => _reason ?? "Nothing was verified.";

    /// <summary>Whether the webhook is authentic and fresh.</summary>
    public bool IsValid => Status == WebhookVerificationStatus.Valid;

    internal static WebhookVerificationResult Valid { get; } =
        new(WebhookVerificationStatus.Valid, null, "The signature is valid.");

    internal static WebhookVerificationResult InvalidSignature { get; } =
        new(WebhookVerificationStatus.InvalidSignature, null, "No signature matched.");

    internal static WebhookVerificationResult TooOld(TimeSpan tolerance) =>
        new(WebhookVerificationStatus.TimestampTooOld, WebhookHeaderNames.WebhookTimestamp, $"The timestamp is more than {tolerance.TotalSeconds:0.###} s in the past.");

    internal static WebhookVerificationResult TooNew(TimeSpan tolerance) =>
        new(WebhookVerificationStatus.TimestampTooNew, WebhookHeaderNames.WebhookTimestamp, $"The timestamp is more than {tolerance.TotalSeconds:0.###} s in the future.");

    internal static WebhookVerificationResult Missing(string headerName) =>
        new(WebhookVerificationStatus.MissingHeader, headerName, $"The {headerName} header is missing or empty.");

    internal static WebhookVerificationResult Malformed(string headerName, string what) =>
        new(WebhookVerificationStatus.MalformedHeader, headerName, $"The {headerName} header is malformed: {what}.");

    /// <summary>Formats the result as <c>Status: reason</c>.</summary>
    /// <returns>The formatted result.</returns>
    public override string ToString() => $"{Status}: {Reason}";
}
