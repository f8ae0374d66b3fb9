using System.Net;

namespace Automations.Core.Http;

/// <summary>
/// Resolves a host name to addresses for the connect-time guard. The seam lets hosts plug in their own resolver and
/// lets tests map names to addresses without DNS. <see cref="DnsHostAddressResolver"/> is the default.
/// </summary>
public interface IHostAddressResolver
{
    /// <summary>Resolves the host name to its addresses (IPv4 and IPv6).</summary>
    /// <param name="host">A host name (never an IP literal: the guard handles those itself).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The addresses; the guard refuses an empty result.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">The name does not resolve.</exception>
    ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
