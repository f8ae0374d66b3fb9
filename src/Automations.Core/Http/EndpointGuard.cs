using System.Net;
using System.Net.Sockets;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Http;

/// <summary>
/// Layer 2 of the SSRF policy: resolves a host through an <see cref="IHostAddressResolver"/>, refuses it when ANY
/// address is in a refused category, and builds an HTTP handler that connects only to the addresses it vetted
/// (through <see cref="SocketsHttpHandler.ConnectCallback"/>), so DNS rebinding between check and connect is
/// impossible. TLS still validates the certificate against the host name, since the request URI keeps it.
/// </summary>
public sealed class EndpointGuard
{
    private readonly IHostAddressResolver _resolver;

    /// <summary>Creates a guard.</summary>
    /// <param name="policy">The policy to enforce.</param>
    /// <param name="resolver">The resolver; <see cref="DnsHostAddressResolver.Instance"/> when <see langword="null"/>.</param>
    public EndpointGuard(EndpointPolicy policy, IHostAddressResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _resolver = resolver ?? DnsHostAddressResolver.Instance;
    }

    /// <summary>The policy the guard enforces.</summary>
    public EndpointPolicy Policy { get; }

    /// <summary>Applies both layers to a URL: the static check, then the resolution of its host.</summary>
    /// <param name="url">The URL as typed.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The decision; resolution failures are refusals with <see cref="EndpointRefusalReason.ResolutionFailed"/>.</returns>
    public async ValueTask<EndpointDecision> CheckUrlAsync(string url, CancellationToken cancellationToken = default)
    {
        var decision = Policy.CheckUrl(url);
        if (!decision.IsAllowed)
        {
            return decision;
        }

        var uri = new Uri(url, UriKind.Absolute);
        return await CheckHostCoreAsync(uri.IdnHost, IsPlainHttp(uri), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves the host (or reads it as an IP literal) and vets every address.</summary>
    /// <param name="host">A host name or an IP literal (IPv6 with or without brackets).</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The decision; resolution failures are refusals with <see cref="EndpointRefusalReason.ResolutionFailed"/>.</returns>
    public ValueTask<EndpointDecision> CheckHostAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return CheckHostCoreAsync(host, plainHttp: false, cancellationToken);
    }

    /// <summary>
    /// Builds the guarded handler: no automatic redirects, no ambient proxy (environment variables and system
    /// settings are ignored), no HTTP/3 (QUIC connections bypass <see cref="SocketsHttpHandler.ConnectCallback"/>,
    /// so requests asking for it are sent as HTTP/2 or lower), every new connection vetted and made only to
    /// vetted addresses.
    /// </summary>
    /// <param name="egressProxy">
    /// An explicit egress proxy the host trusts, or <see langword="null"/> (the default) for direct connections.
    /// With a proxy the connection is made to the proxy, so the guard vets the target by resolving it before each
    /// request; the proxy resolves again, so it should enforce its own egress rules as well.
    /// </param>
    /// <returns>A new handler; the caller owns it (or hands it to <c>IHttpClientFactory</c>).</returns>
    /// <exception cref="ArgumentException"><paramref name="egressProxy"/> is not an absolute http or https URI.</exception>
    public HttpMessageHandler CreateHandler(Uri? egressProxy = null)
    {
        if (egressProxy is not null && (!egressProxy.IsAbsoluteUri || egressProxy.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException("The egress proxy must be an absolute http or https URI.", nameof(egressProxy));
        }

        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };

        if (egressProxy is null)
        {
            sockets.UseProxy = false;
            sockets.Proxy = null;
            sockets.ConnectCallback = ConnectAsync;
        }
        else
        {
            sockets.UseProxy = true;
            sockets.Proxy = new WebProxy(egressProxy) { BypassProxyOnLocal = false };
        }

        return new GuardHandler(this, vetTargetBeforeSending: egressProxy is not null) { InnerHandler = sockets };
    }

    /// <summary>Resolves and vets; throws <see cref="EndpointRefusedException"/> on refusal, the resolver's exception on failure.</summary>
    internal async ValueTask<IReadOnlyList<IPAddress>> ResolveVettedAsync(string host, bool plainHttp, CancellationToken cancellationToken)
    {
        var literalText = host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        IReadOnlyList<IPAddress> resolved = IPAddress.TryParse(literalText, out var literal)
            ? [literal]
            : await _resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);

        var addresses = new IPAddress[resolved.Count];
        for (var i = 0; i < addresses.Length; i++)
        {
            var address = resolved[i];
            addresses[i] = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }

        var decision = Policy.CheckResolved(host, addresses, plainHttp);
        return decision.IsAllowed ? addresses : throw new EndpointRefusedException(decision);
    }

    internal static bool IsPlainHttp(Uri? uri) => uri is not null && string.Equals(uri.Scheme, "http", StringComparison.OrdinalIgnoreCase);

    private async ValueTask<EndpointDecision> CheckHostCoreAsync(string host, bool plainHttp, CancellationToken cancellationToken)
    {
        try
        {
            await ResolveVettedAsync(host, plainHttp, cancellationToken).ConfigureAwait(false);
            return EndpointDecision.Allowed;
        }
        catch (EndpointRefusedException ex)
        {
            return ex.Decision;
        }
        catch (SocketException ex)
        {
            return EndpointDecision.Refuse(EndpointRefusalReason.ResolutionFailed, $"The host '{host}' could not be resolved ({ex.SocketErrorCode}).");
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var requestUri = context.InitialRequestMessage.RequestUri;
        if (requestUri is not null)
        {
            var decision = Policy.CheckUrl(requestUri);
            if (!decision.IsAllowed)
            {
                throw new EndpointRefusedException(decision);
            }
        }

        var addresses = await ResolveVettedAsync(context.DnsEndPoint.Host, IsPlainHttp(requestUri), cancellationToken).ConfigureAwait(false);
        SocketException? lastError = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastError ?? new SocketException((int)SocketError.HostUnreachable);
    }

    /// <summary>
    /// Keeps every request on TCP (HTTP/1.1 or HTTP/2), where the connect callback applies; with an explicit egress
    /// proxy, also vets the target (static check + resolution) before each request.
    /// </summary>
    private sealed class GuardHandler(EndpointGuard guard, bool vetTargetBeforeSending) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Version >= HttpVersion.Version30)
            {
                request.Version = HttpVersion.Version20;
            }

            if (request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher)
            {
                request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            }

            return vetTargetBeforeSending ? VetThenSendAsync(request, cancellationToken) : base.SendAsync(request, cancellationToken);
        }

        private async Task<HttpResponseMessage> VetThenSendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await VetTargetAsync(request.RequestUri ?? throw new InvalidOperationException("The request has no URI."), cancellationToken)
                .ConfigureAwait(false);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private async Task VetTargetAsync(Uri uri, CancellationToken cancellationToken)
        {
            var decision = guard.Policy.CheckUrl(uri);
            if (!decision.IsAllowed)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, decision.Message, new EndpointRefusedException(decision));
            }

            try
            {
                await guard.ResolveVettedAsync(uri.IdnHost, IsPlainHttp(uri), cancellationToken).ConfigureAwait(false);
            }
            catch (EndpointRefusedException ex)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, ex.Message, ex);
            }
            catch (SocketException ex)
            {
                throw new HttpRequestException(HttpRequestError.NameResolutionError, ex.Message, ex);
            }
        }
    }
}
