using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Http;

/// <summary>
/// The <see cref="IWebhookDispatcher"/> on <see cref="IHttpClientFactory"/>: one POST per call through the named
/// client <see cref="HttpClientName"/> (registered this way, straight through the factory's current handler for it
/// while the host has not configured the client), whose primary handler is the guarded one from
/// <see cref="EndpointGuard.CreateHandler(Uri?)"/> (register both with
/// <c>services.AddAutomationsWebhookDispatcher(...)</c>). Thread-safe; logs origins, delivery ids and header
/// names, never header values nor URL paths.
/// </summary>
public sealed partial class WebhookDispatcher : IWebhookDispatcher
{
    /// <summary>The name of the <see cref="HttpClient"/> the dispatcher asks the factory for.</summary>
    public const string HttpClientName = "Automations.Core.Webhooks";

    /// <summary>The header carrying the delivery id, stable across retries of one delivery.</summary>
    public const string DeliveryIdHeaderName = "X-Automations-Delivery";

    private const int MaxRememberedDecisions = 4096;
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    // The success messages of the usual 2xx answers with their standard reason phrases, built once.
    private static readonly FrozenDictionary<int, (string Phrase, string Message)> s_answered =
        new (int Code, string Phrase)[] { (200, "OK"), (201, "Created"), (202, "Accepted"), (204, "No Content") }
            .ToDictionary(a => a.Code, a => (a.Phrase, $"The endpoint answered {WebhookDispatchOutcome.DescribeStatus(a.Code, a.Phrase)}."))
            .ToFrozenDictionary();

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly int _maxResponseBodyBytes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EndpointDecision> _decisions = new(StringComparer.Ordinal);
    private readonly TimeoutSourcePool _timeouts;
    private readonly IHttpMessageHandlerFactory? _handlers;

    /// <summary>Creates a dispatcher.</summary>
    /// <param name="httpClientFactory">Creates the named client <see cref="HttpClientName"/>.</param>
    /// <param name="options">The settings; validated and copied.</param>
    /// <param name="policy">The endpoint policy for the static check before sending; built from <paramref name="options"/> when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timeouts and <c>Retry-After</c> dates; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="Domain.AutomationValidationException">The options are invalid.</exception>
    public WebhookDispatcher(
        IHttpClientFactory httpClientFactory,
        WebhookDispatcherOptions options,
        EndpointPolicy? policy = null,
        TimeProvider? timeProvider = null,
        ILogger<WebhookDispatcher>? logger = null)
        : this(httpClientFactory, options, policy, timeProvider, logger, handlerFactory: null)
    {
    }

    /// <summary>
    /// The registration's constructor: with <paramref name="handlerFactory"/> (given only when the named client has
    /// no configuration of its own beyond <see cref="ConfigureClient"/>), requests go straight to the factory's
    /// handler instead of through a new <see cref="HttpClient"/> each.
    /// </summary>
    internal WebhookDispatcher(
        IHttpClientFactory httpClientFactory,
        WebhookDispatcherOptions options,
        EndpointPolicy? policy,
        TimeProvider? timeProvider,
        ILogger<WebhookDispatcher>? logger,
        IHttpMessageHandlerFactory? handlerFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _httpClientFactory = httpClientFactory;
        _timeout = options.Timeout;
        _maxResponseBodyBytes = options.MaxResponseBodyBytes;
        Policy = policy ?? new EndpointPolicy(options.EndpointPolicy);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeouts = new TimeoutSourcePool(_timeout, _timeProvider);
        _handlers = handlerFactory;
    }

    /// <summary>
    /// The only configuration the registration puts on the named client: no <see cref="HttpClient.Timeout"/> (the
    /// dispatcher applies its own). A client configured with anything else is used as configured.
    /// </summary>
    internal static Action<HttpClient> ConfigureClient { get; } = static client => client.Timeout = Timeout.InfiniteTimeSpan;

    /// <summary>Whether requests bypass <see cref="HttpClient"/> (see the registration's constructor); for tests.</summary>
    internal bool SendsThroughHandler => _handlers is not null;

    /// <summary>The <c>User-Agent</c> sent with every delivery: <c>Automations.Core/&lt;version&gt;</c>.</summary>
    public static string UserAgent { get; } = "Automations.Core/" + GetVersion();

    /// <summary>The endpoint policy applied before sending (the handler applies it again when connecting).</summary>
    public EndpointPolicy Policy { get; }

    /// <inheritdoc />
    public async Task<WebhookDispatchOutcome> DispatchAsync(WebhookDispatchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = CheckUrl(request.Url);
        if (!decision.IsAllowed)
        {
            return Refused(request, decision);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogSending(_logger, request.DeliveryId, Origin(request.Url), request.Body.Length, HeaderNames(request));
        }

        // One token for both the timeout and the caller: the caller's cancellation is forwarded by a registration,
        // which is cheaper than a linked source per request; the timeout sources are reused (see TimeoutSourcePool).
        var timeoutSource = _timeouts.Rent();
        var forward = cancellationToken.UnsafeRegister(static state => ((TimeoutSourcePool.TimeoutSource)state!).Cancel(), timeoutSource);
        try
        {
            using var message = BuildMessage(request);
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(message, timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Failed(request, WebhookFailureReason.Timeout,
                    $"No response within the timeout of {_timeout.TotalSeconds:0.###} s.");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or EndpointRefusedException)
            {
                var (reason, refusal) = ClassifyException(ex);
                return refusal is not null
                    ? Refused(request, refusal)
                    : Failed(request, reason, DescribeTransportFailure(reason, ex));
            }

            using (response)
            {
                return await ReadOutcomeAsync(request, response, timeoutSource.Token, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The forwarding registration first (its Dispose waits for a running callback), so nothing can cancel the
            // source once it is back in the pool.
            forward.Dispose();
            _timeouts.Return(timeoutSource);
        }
    }

    /// <summary>The origin of a URL (<c>scheme://host[:port]</c>), the only part of it the dispatcher logs.</summary>
    internal static string Origin(Uri url) => EndpointPolicy.Origin(url);

    internal static (WebhookFailureReason Reason, EndpointDecision? Refusal) ClassifyException(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is EndpointRefusedException refused)
            {
                return (WebhookFailureReason.RefusedByPolicy, refused.Decision);
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return (socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => WebhookFailureReason.ConnectionRefused,
                        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => WebhookFailureReason.ConnectionReset,
                        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.NoRecovery => WebhookFailureReason.NameResolution,
                        SocketError.TimedOut => WebhookFailureReason.Timeout,
                        _ => WebhookFailureReason.ConnectionFailed,
                    }, null);
                case AuthenticationException:
                    return (WebhookFailureReason.TlsFailure, null);
            }
        }

        if (exception is HttpRequestException http)
        {
            return (http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => WebhookFailureReason.NameResolution,
                HttpRequestError.SecureConnectionError => WebhookFailureReason.TlsFailure,
                HttpRequestError.ResponseEnded => WebhookFailureReason.ConnectionReset,
                HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse
                    or HttpRequestError.ConfigurationLimitExceeded => WebhookFailureReason.ProtocolError,
                _ => WebhookFailureReason.ConnectionFailed,
            }, null);
        }

        return (exception is IOException ? WebhookFailureReason.ConnectionReset : WebhookFailureReason.ConnectionFailed, null);
    }

    internal static WebhookDispatchOutcomeKind ClassifyStatus(int statusCode) => statusCode switch
    {
        >= 200 and <= 299 => WebhookDispatchOutcomeKind.Succeeded,
        410 => WebhookDispatchOutcomeKind.EndpointGone,
        408 or 429 or (>= 500 and <= 599) => WebhookDispatchOutcomeKind.RetryableFailure,
        _ => WebhookDispatchOutcomeKind.PermanentFailure,
    };

    internal static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// Sends through the factory's current handler for <see cref="HttpClientName"/>: directly (an
    /// <see cref="HttpMessageInvoker"/> over <see cref="IHttpMessageHandlerFactory.CreateHandler(string)"/>, the same
    /// pooled, rotated handler <c>CreateClient</c> wraps) when the registration configured nothing on the client
    /// itself, otherwise through a client from <see cref="IHttpClientFactory.CreateClient(string)"/>. The direct path
    /// skips what an <see cref="HttpClient"/> adds per request (the client, its pending-requests source, a linked
    /// source and its registrations) and sends exactly the same request; the response is returned after its headers
    /// either way.
    /// </summary>
    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        if (_handlers is { } handlers)
        {
            return new HttpMessageInvoker(handlers.CreateHandler(HttpClientName), disposeHandler: false).SendAsync(message, cancellationToken);
        }

        return _httpClientFactory.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static HttpRequestMessage BuildMessage(WebhookDispatchRequest request)
    {
        var content = new ReadOnlyMemoryContent(request.Body);
        content.Headers.ContentType = s_json;
        var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = content };
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.TryAddWithoutValidation(DeliveryIdHeaderName, request.DeliveryId);
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private async ValueTask<WebhookDispatchOutcome> ReadOutcomeAsync(
        WebhookDispatchRequest request, HttpResponseMessage response, CancellationToken readToken, CancellationToken callerToken)
    {
        var status = (int)response.StatusCode;
        var headers = CollectHeaders(response);
        var (body, truncated, readProblem) = await ReadCappedBodyAsync(response.Content, readToken, callerToken).ConfigureAwait(false);
        var kind = ClassifyStatus(status);
        if (kind == WebhookDispatchOutcomeKind.Succeeded && readProblem is null
            && s_answered.TryGetValue(status, out var usual) && string.Equals(usual.Phrase, response.ReasonPhrase, StringComparison.Ordinal))
        {
            LogSucceeded(request, status);
            return new WebhookDispatchOutcome(kind, WebhookFailureReason.None, request.DeliveryId, usual.Message, status, headers, body, truncated);
        }

        var statusText = WebhookDispatchOutcome.DescribeStatus(status, response.ReasonPhrase);
        var suffix = readProblem is null ? string.Empty : " " + readProblem;

        WebhookDispatchOutcome outcome;
        switch (kind)
        {
            case WebhookDispatchOutcomeKind.Succeeded:
                outcome = new WebhookDispatchOutcome(kind, WebhookFailureReason.None, request.DeliveryId,
                    $"The endpoint answered {statusText}.{suffix}", status, headers, body, truncated);
                LogSucceeded(request, status);
                return outcome;

            case WebhookDispatchOutcomeKind.RetryableFailure:
                var retryAfter = ParseRetryAfter(response.Headers.RetryAfter, _timeProvider.GetUtcNow());
                outcome = new WebhookDispatchOutcome(kind, WebhookFailureReason.HttpStatus, request.DeliveryId,
                    $"The endpoint answered {statusText}; retry later.{suffix}", status, headers, body, truncated, retryAfter);
                break;

            case WebhookDispatchOutcomeKind.EndpointGone:
                outcome = new WebhookDispatchOutcome(kind, WebhookFailureReason.HttpStatus, request.DeliveryId,
                    $"The endpoint answered {statusText}: it is gone; disable the integration.{suffix}", status, headers, body, truncated);
                break;

            default:
                var location = ResolveLocation(request.Url, response.Headers.Location);
                var what = status is >= 300 and <= 399
                    ? $"The endpoint answered {statusText} (redirect to {(location is null ? "no location" : Origin(location))}); redirects are not followed."
                    : $"The endpoint answered {statusText}; retrying will not help.";
                outcome = new WebhookDispatchOutcome(kind, WebhookFailureReason.HttpStatus, request.DeliveryId,
                    what + suffix, status, headers, body, truncated, redirectLocation: location);
                break;
        }

        LogFailed(request, outcome.Kind, outcome.FailureReason, outcome.Message);
        return outcome;
    }

    private async ValueTask<(ReadOnlyMemory<byte> Body, bool Truncated, string? Problem)> ReadCappedBodyAsync(
        HttpContent content, CancellationToken readToken, CancellationToken callerToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared == 0)
        {
            return (ReadOnlyMemory<byte>.Empty, false, null); // nothing to read (most webhook receivers answer so)
        }

        var cap = _maxResponseBodyBytes;
        var size = (int)Math.Clamp(declared ?? cap, 1, cap);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var total = 0;
        string? problem = null;
        try
        {
            var stream = await content.ReadAsStreamAsync(readToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var limit = size;
                while (total < limit)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), readToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                }
            }
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            problem = "The body was cut short by the timeout.";
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            problem = "The connection broke while reading the body.";
        }

        var body = buffer.AsSpan(0, total).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);
        var truncated = total >= cap && (declared is null || declared > cap);
        return (body, truncated, problem);
    }

    private static List<KeyValuePair<string, string>> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value));
            }
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value));
            }
        }

        return headers;
    }

    private static Uri? ResolveLocation(Uri requestUrl, Uri? location) => location switch
    {
        null => null,
        { IsAbsoluteUri: true } => location,
        _ => Uri.TryCreate(requestUrl, location, out var absolute) ? absolute : location,
    };

    /// <summary>
    /// The static check of <see cref="Policy"/>, remembered per URL text: the policy is immutable, so a URL's decision
    /// never changes, and deliveries to one endpoint repeat the same URL. The connect-time check still vets every new
    /// connection.
    /// </summary>
    private EndpointDecision CheckUrl(Uri url)
    {
        var key = url.OriginalString;
        if (_decisions.TryGetValue(key, out var decision))
        {
            return decision;
        }

        decision = Policy.CheckUrl(url);
        if (_decisions.Count >= MaxRememberedDecisions)
        {
            _decisions.Clear();
        }

        _decisions[key] = decision;
        return decision;
    }

    private void LogSucceeded(WebhookDispatchRequest request, int status)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogSucceeded(_logger, request.DeliveryId, Origin(request.Url), status);
        }
    }

    private void LogFailed(WebhookDispatchRequest request, WebhookDispatchOutcomeKind kind, WebhookFailureReason reason, string detail)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            LogFailed(_logger, request.DeliveryId, Origin(request.Url), kind, reason, detail);
        }
    }

    private WebhookDispatchOutcome Refused(WebhookDispatchRequest request, EndpointDecision decision)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            LogRefused(_logger, request.DeliveryId, Origin(request.Url), decision.Reason, decision.Message);
        }

        return new WebhookDispatchOutcome(WebhookDispatchOutcomeKind.RefusedByPolicy, WebhookFailureReason.RefusedByPolicy,
            request.DeliveryId, "Refused by the endpoint policy: " + decision.Message, policyDecision: decision);
    }

    private WebhookDispatchOutcome Failed(WebhookDispatchRequest request, WebhookFailureReason reason, string message)
    {
        var outcome = new WebhookDispatchOutcome(WebhookDispatchOutcomeKind.RetryableFailure, reason, request.DeliveryId, message);
        LogFailed(request, outcome.Kind, reason, message);
        return outcome;
    }

    private static string DescribeTransportFailure(WebhookFailureReason reason, Exception ex)
    {
        var what = reason switch
        {
            WebhookFailureReason.ConnectionRefused => "The endpoint refused the connection.",
            WebhookFailureReason.ConnectionReset => "The connection was reset or closed before a complete response arrived.",
            WebhookFailureReason.NameResolution => "The endpoint's host name could not be resolved.",
            WebhookFailureReason.TlsFailure => "The TLS handshake with the endpoint failed.",
            WebhookFailureReason.ProtocolError => "The endpoint's response was not valid HTTP.",
            WebhookFailureReason.Timeout => "The connection timed out.",
            _ => "The connection to the endpoint failed.",
        };

        // .NET's networking messages name host:port at most, never the path or headers.
        return $"{what} ({ex.GetBaseException().Message})";
    }

    private static string HeaderNames(WebhookDispatchRequest request) =>
        request.Headers.Count == 0 ? "none" : string.Join(", ", request.Headers.Select(h => h.Key));

    private static string GetVersion()
    {
        var assembly = typeof(WebhookDispatcher).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Sending webhook delivery {DeliveryId} to {Origin} ({BodyBytes} bytes, extra headers: {HeaderNames})")]
    private static partial void LogSending(ILogger logger, string deliveryId, string origin, int bodyBytes, string headerNames);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to {Origin} succeeded with {StatusCode}")]
    private static partial void LogSucceeded(ILogger logger, string deliveryId, string origin, int statusCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Webhook delivery {DeliveryId} to {Origin} failed: {Kind} ({Reason}): {Detail}")]
    private static partial void LogFailed(ILogger logger, string deliveryId, string origin, WebhookDispatchOutcomeKind kind, WebhookFailureReason reason, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Webhook delivery {DeliveryId} to {Origin} refused by the endpoint policy ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string deliveryId, string origin, EndpointRefusalReason reason, string detail);
}
