using Automations.Core.Domain;

namespace Automations.Core.Http;

/// <summary>
/// One webhook delivery attempt to send: the URL, the exact body bytes, a delivery id that stays the same across
/// retries, and extra headers the caller computed (signature headers, <c>Authorization: Bearer …</c>). Immutable:
/// the body is copied, so the caller may reuse its buffer. <see cref="ToString"/> shows header names only, never
/// their values, and only the URL's origin (webhook URLs can carry secrets in their path or query).
/// </summary>
public sealed class WebhookDispatchRequest
{
    /// <summary>The longest delivery id accepted, in characters.</summary>
    public const int MaxDeliveryIdLength = 256;

    /// <summary>The longest extra header value accepted, in characters.</summary>
    public const int MaxHeaderValueLength = 8192;

    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Length", "Host", "User-Agent", "Transfer-Encoding", "Connection", "Keep-Alive",
        "Upgrade", "TE", "Trailer", "Expect", "Proxy-Authorization", "Proxy-Connection", WebhookDispatcher.DeliveryIdHeaderName,
    };

    /// <summary>Creates and validates a request.</summary>
    /// <param name="url">The absolute endpoint URL (the endpoint policy is applied when dispatching).</param>
    /// <param name="body">The exact JSON body bytes (copied).</param>
    /// <param name="deliveryId">A stable id for this delivery (visible ASCII, no spaces), sent as <see cref="WebhookDispatcher.DeliveryIdHeaderName"/>.</param>
    /// <param name="headers">
    /// Extra headers as name/value pairs, for example <c>X-Wandb-Signature</c> or <c>Authorization</c>. Names must be
    /// HTTP tokens, not repeated, and not one the dispatcher sets itself (<c>Content-Type</c>, <c>Content-Length</c>,
    /// <c>Host</c>, <c>User-Agent</c>, the delivery-id header, hop-by-hop headers); values printable ASCII.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> or <paramref name="deliveryId"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">Any value is invalid; every problem is listed.</exception>
    public WebhookDispatchRequest(Uri url, ReadOnlyMemory<byte> body, string deliveryId, IEnumerable<KeyValuePair<string, string>>? headers = null)
        : this(url, body.ToArray(), deliveryId, headers?.ToArray() ?? [])
    {
    }

    /// <summary>
    /// The engine's constructor: validates like the public one but keeps <paramref name="body"/> as given (no copy),
    /// so the caller must keep it unchanged until the dispatch returned (the engine renders into a pooled buffer it
    /// returns only after that).
    /// </summary>
    private WebhookDispatchRequest(Uri url, ReadOnlyMemory<byte> body, string deliveryId, KeyValuePair<string, string>[] headers)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(deliveryId);
        var problems = new ValidationProblemCollector(); // allocates its list only when a problem is found
        if (!url.IsAbsoluteUri)
        {
            problems.Add("url", "must be an absolute URL");
        }

        ValidateDeliveryId(deliveryId, problems);
        ValidateHeaders(headers, problems);
        problems.ThrowIfInvalid();

        Url = url;
        Body = body;
        DeliveryId = deliveryId;
        Headers = Array.AsReadOnly(headers);
    }

    /// <summary>A request whose body is borrowed, not copied (see the private constructor); for the engine.</summary>
    internal static WebhookDispatchRequest Borrowing(Uri url, ReadOnlyMemory<byte> body, string deliveryId, KeyValuePair<string, string>[] headers)
        => new(url, body, deliveryId, headers);

    /// <summary>The endpoint URL.</summary>
    public Uri Url { get; }

    /// <summary>The exact body bytes (a private copy).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The delivery id, stable across retries so receivers can deduplicate.</summary>
    public string DeliveryId { get; }

    /// <summary>The extra headers, in the order given. Values may be secrets: do not log them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Describes the request without secrets: origin, delivery id, body size and header names.</summary>
    /// <returns>For example <c>POST https://hooks.example.com (delivery d-1, 42 bytes, headers: Authorization, X-Wandb-Signature)</c>.</returns>
    public override string ToString()
    {
        var names = Headers.Count == 0 ? "none" : string.Join(", ", Headers.Select(h => h.Key));
        return $"POST {WebhookDispatcher.Origin(Url)} (delivery {DeliveryId}, {Body.Length} bytes, headers: {names})";
    }

    private static void ValidateDeliveryId(string deliveryId, ValidationProblemCollector problems)
    {
        if (deliveryId.Length == 0)
        {
            problems.Add("deliveryId", "must not be empty");
        }
        else if (deliveryId.Length > MaxDeliveryIdLength)
        {
            problems.Add("deliveryId", $"must be at most {MaxDeliveryIdLength} characters");
        }
        else if (deliveryId.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            problems.Add("deliveryId", "must be visible ASCII characters without spaces");
        }
    }

    private static void ValidateHeaders(KeyValuePair<string, string>[] headers, ValidationProblemCollector problems)
    {
        // Paths are built only for a problem: a valid request allocates nothing here.
        for (var i = 0; i < headers.Length; i++)
        {
            var (name, value) = headers[i];
            if (!IsGivableName(name))
            {
                problems.Add(Path(i, "name"), string.IsNullOrEmpty(name) || !IsToken(name)
                    ? "must be a non-empty HTTP header name (letters, digits and !#$%&'*+-.^_`|~)"
                    : $"'{name}' is set by the dispatcher and cannot be given");
            }
            else if (GivenBefore(headers, i, name))
            {
                problems.Add(Path(i, "name"), $"'{name}' is given more than once");
            }

            // Never echo the value: it may be a signature or a bearer token.
            if (value is null)
            {
                problems.Add(Path(i, "value"), "must not be null");
            }
            else if (value.Length > MaxHeaderValueLength)
            {
                problems.Add(Path(i, "value"), $"must be at most {MaxHeaderValueLength} characters");
            }
            else if (value.AsSpan().ContainsAnyExceptInRange(' ', '~'))
            {
                problems.Add(Path(i, "value"), "must be printable ASCII (no line breaks or control characters)");
            }
        }
    }

    private static string Path(int index, string part)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"headers[{index}].{part}");

    private static bool IsGivableName(string? name) => !string.IsNullOrEmpty(name) && IsToken(name) && !s_reservedHeaders.Contains(name);

    /// <summary>Whether an earlier header with an acceptable name has this name (a few headers: no set needed).</summary>
    private static bool GivenBefore(KeyValuePair<string, string>[] headers, int index, string name)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(headers[j].Key, name, StringComparison.OrdinalIgnoreCase) && IsGivableName(headers[j].Key))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
