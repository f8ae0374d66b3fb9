using System.Net;
using System.Net.Sockets;

namespace Automations.Core.Http;

/// <summary>The default <see cref="IHostAddressResolver"/>: the operating system's resolver through <see cref="Dns.GetHostAddressesAsync(string, AddressFamily, CancellationToken)"/>.</summary>
public sealed class DnsHostAddressResolver : IHostAddressResolver
{
    private DnsHostAddressResolver()
    {
    }

    /// <summary>The shared instance.</summary>
    public static DnsHostAddressResolver Instance { get; } = new();

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return await Dns.GetHostAddressesAsync(host, AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
    }
}
