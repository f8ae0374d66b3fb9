using System.Globalization;
using System.Text;
using Automations.Core.Http;

namespace Automations.Core.Engine;

/// <summary>
/// What a "test webhook" call did, as a value: the request headers sent (signature and token values redacted), the
/// endpoint's response (status, headers, capped body) and the elapsed time — or why nothing was sent. Ordinary
/// failures (refusals, timeouts, non-2xx answers) are results, never exceptions. Secret values the test used are
/// replaced with <c>[redacted]</c> wherever the endpoint echoed them.
/// </summary>
public sealed class WebhookTestResult
{
    /// <summary>What replaces a redacted header value, or a secret value the endpoint echoed back.</summary>
    public const string Redacted = SecretScrubber.Marker;

    internal WebhookTestResult(
        string deliveryId,
        IReadOnlyList<KeyValuePair<string, string>> requestHeaders,
        WebhookDispatchOutcome? outcome,
        string? refusalReason,
        TimeSpan elapsed)
    {
        DeliveryId = deliveryId;
        RequestHeaders = requestHeaders;
        Outcome = outcome;
        RefusalReason = refusalReason;
        Elapsed = elapsed;
    }

    /// <summary>The test delivery's id (<c>test_…</c>), sent as <c>X-Automations-Delivery</c> (and <c>webhook-id</c> with Standard Webhooks).</summary>
    public string DeliveryId { get; }

    /// <summary>Whether the endpoint answered 2xx.</summary>
    public bool IsSuccess => Outcome?.IsSuccess == true;

    /// <summary>
    /// Whether nothing was sent: the endpoint policy refused the URL or the addresses its host resolves to, or the
    /// integration's signing secret or access token is missing or unusable. <see cref="RefusalReason"/> says why.
    /// </summary>
    public bool IsRefused => RefusalReason is not null;

    /// <summary>Why nothing was sent, or <see langword="null"/> when a request was made.</summary>
    public string? RefusalReason { get; }

    /// <summary>
    /// The dispatcher's outcome (kind, failure reason, status, response, <c>Retry-After</c>, redirect location, policy
    /// decision), with echoed secret values redacted; <see langword="null"/> when the test was refused before
    /// dispatching (a missing or unusable secret).
    /// </summary>
    public WebhookDispatchOutcome? Outcome { get; }

    /// <summary>The response's HTTP status code, or <see langword="null"/> without a response (refused, timeout, connection failure).</summary>
    public int? StatusCode => Outcome?.StatusCode;

    /// <summary>
    /// The headers of the request sent, in order: <c>Content-Type</c>, <c>Content-Length</c>, <c>User-Agent</c>,
    /// <c>X-Automations-Delivery</c>, then the signing headers. Values of <c>X-Wandb-Signature</c>,
    /// <c>webhook-signature</c> and <c>Authorization</c> (<c>Bearer [redacted]</c>) are redacted; <c>webhook-id</c> and
    /// <c>webhook-timestamp</c> are shown. Empty when nothing was sent (<see cref="IsRefused"/>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; }

    /// <summary>The response's headers, one entry per value; empty without a response.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders => Outcome?.ResponseHeaders ?? [];

    /// <summary>The start of the response body, at most the dispatcher's cap (<see cref="WebhookDispatcherOptions.MaxResponseBodyBytes"/>).</summary>
    public ReadOnlyMemory<byte> ResponseBody => Outcome?.ResponseBody ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Whether the response body was cut at the cap.</summary>
    public bool IsResponseBodyTruncated => Outcome?.IsResponseBodyTruncated == true;

    /// <summary>How long signing and dispatching took, measured on the tester's <see cref="TimeProvider"/>; zero when refused before dispatching.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>A human-readable summary: the refusal reason, or the dispatcher's message.</summary>
    public string Message => RefusalReason ?? Outcome?.Message ?? string.Empty;

    /// <summary>The response body decoded as UTF-8 (invalid bytes replaced); empty without a body.</summary>
    /// <returns>The text.</returns>
    public string GetResponseBodyText() => Encoding.UTF8.GetString(ResponseBody.Span);

    /// <summary>Formats the result, for example <c>Succeeded (200) in 84 ms: The endpoint answered 200 OK.</c> or <c>Refused: …</c>.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString()
    {
        if (IsRefused)
        {
            return "Refused: " + RefusalReason;
        }

        var status = StatusCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : Outcome!.FailureReason.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{Outcome!.Kind} ({status}) in {Elapsed.TotalMilliseconds:0} ms: {Message}");
    }
}
