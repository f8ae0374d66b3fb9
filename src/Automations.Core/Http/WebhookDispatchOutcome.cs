using System.Net;
using System.Text;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Http;

/// <summary>
/// The outcome of one delivery attempt, as a value: success, retryable or permanent failure, endpoint gone, or
/// refused by policy — with the endpoint's response (status, headers, capped body) when there was one.
/// </summary>
public sealed class WebhookDispatchOutcome
{
    internal WebhookDispatchOutcome(
        WebhookDispatchOutcomeKind kind,
        WebhookFailureReason failureReason,
        string deliveryId,
        string message,
        int? statusCode = null,
        IReadOnlyList<KeyValuePair<string, string>>? responseHeaders = null,
        ReadOnlyMemory<byte> responseBody = default,
        bool isResponseBodyTruncated = false,
        TimeSpan? retryAfter = null,
        Uri? redirectLocation = null,
        EndpointDecision? policyDecision = null)
    {
        Kind = kind;
        FailureReason = failureReason;
        DeliveryId = deliveryId;
        Message = message;
        StatusCode = statusCode;
        ResponseHeaders = responseHeaders ?? [];
        ResponseBody = responseBody;
        IsResponseBodyTruncated = isResponseBodyTruncated;
        RetryAfter = retryAfter;
        RedirectLocation = redirectLocation;
        PolicyDecision = policyDecision;
    }

    /// <summary>What became of the attempt.</summary>
    public WebhookDispatchOutcomeKind Kind { get; }

    /// <summary>The cause of a failure; <see cref="WebhookFailureReason.None"/> on success.</summary>
    public WebhookFailureReason FailureReason { get; }

    /// <summary>Whether the endpoint answered 2xx.</summary>
    public bool IsSuccess => Kind == WebhookDispatchOutcomeKind.Succeeded;

    /// <summary>Whether a later retry may succeed.</summary>
    public bool IsRetryable => Kind == WebhookDispatchOutcomeKind.RetryableFailure;

    /// <summary>The delivery id of the request.</summary>
    public string DeliveryId { get; }

    /// <summary>A clear, human-readable summary (no header values, no URL path or query).</summary>
    public string Message { get; }

    /// <summary>The HTTP status code, when a response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>The response's headers (and content headers), one entry per value; empty without a response.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; }

    /// <summary>The start of the response body, at most the configured cap (<see cref="WebhookDispatcherOptions.MaxResponseBodyBytes"/>).</summary>
    public ReadOnlyMemory<byte> ResponseBody { get; }

    /// <summary>
    /// Whether the body was cut at the cap: the declared length exceeded it, or the length was not declared and the
    /// body filled the cap (the rest is never read).
    /// </summary>
    public bool IsResponseBodyTruncated { get; }

    /// <summary>How long the endpoint asked to wait (<c>Retry-After</c>, seconds or HTTP-date), for retryable failures.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Where a 3xx response pointed (made absolute against the request URL); redirects are never followed.</summary>
    public Uri? RedirectLocation { get; }

    /// <summary>The policy's refusal, for <see cref="WebhookDispatchOutcomeKind.RefusedByPolicy"/>.</summary>
    public EndpointDecision? PolicyDecision { get; }

    /// <summary>The response body decoded as UTF-8 (invalid bytes replaced).</summary>
    /// <returns>The text; empty without a body.</returns>
    public string GetResponseBodyText() => Encoding.UTF8.GetString(ResponseBody.Span);

    /// <summary>The first value of a response header, or <see langword="null"/>.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public string? GetResponseHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (key, value) in ResponseHeaders)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Formats the outcome, for example <c>RetryableFailure (HttpStatus, 503): …</c>.</summary>
    /// <returns>The formatted outcome.</returns>
    public override string ToString()
    {
        var status = StatusCode is { } code ? ", " + code.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return $"{Kind} ({FailureReason}{status}): {Message}";
    }

    internal static string DescribeStatus(int statusCode, string? reasonPhrase)
    {
        var phrase = string.IsNullOrWhiteSpace(reasonPhrase) ? ((HttpStatusCode)statusCode).ToString() : reasonPhrase;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{statusCode} {phrase}");
    }
}
