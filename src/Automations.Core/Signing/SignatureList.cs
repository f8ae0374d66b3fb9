using System.Security.Cryptography;

namespace Automations.Core.Signing;

/// <summary>Matches a space-separated list of received signatures against expected MACs in constant time per comparison.</summary>
internal static class SignatureList
{
    /// <summary>How the entries of a signature header were read.</summary>
    internal enum Outcome
    {
        /// <summary>An entry matched one of the expected MACs.</summary>
        Match,

        /// <summary>At least one entry was readable but none matched.</summary>
        NoMatch,

        /// <summary>No entry could be read at all.</summary>
        Unreadable,
    }

    /// <summary>
    /// Walks every space-separated entry of <paramref name="header"/>. With <paramref name="version"/> set, an entry is
    /// <c>version,base64</c> and entries of other versions are ignored (but count as readable); without it an entry is
    /// bare base64. Unreadable entries are skipped. Every entry, including the last, is considered.
    /// </summary>
    /// <param name="header">The header value.</param>
    /// <param name="version">The version prefix (<c>v1</c>) or null for bare signatures.</param>
    /// <param name="expected">The expected MACs, <see cref="WebhookSigningKey.MacBytes"/> bytes each, back to back.</param>
    /// <returns>The outcome.</returns>
    internal static Outcome Match(ReadOnlySpan<char> header, string? version, ReadOnlySpan<byte> expected)
    {
        Span<byte> received = stackalloc byte[WebhookSigningKey.MacBytes + 3];
        var readable = false;
        var rest = header;
        while (!rest.IsEmpty)
        {
            var space = rest.IndexOf(' ');
            var entry = space < 0 ? rest : rest[..space];
            rest = space < 0 ? [] : rest[(space + 1)..];
            if (entry.IsEmpty)
            {
                continue;
            }

            var value = entry;
            if (version is not null)
            {
                var comma = entry.IndexOf(',');
                if (comma <= 0)
                {
                    continue;
                }

                if (!entry[..comma].SequenceEqual(version))
                {
                    readable = true;
                    continue;
                }

                value = entry[(comma + 1)..];
            }

            if (value.Length != WebhookSigningKey.MacBase64Chars
                || !Convert.TryFromBase64Chars(value, received, out var length)
                || length != WebhookSigningKey.MacBytes)
            {
                continue;
            }

            readable = true;
            var mac = received[..WebhookSigningKey.MacBytes];
            for (var offset = 0; offset < expected.Length; offset += WebhookSigningKey.MacBytes)
            {
                if (CryptographicOperations.FixedTimeEquals(mac, expected.Slice(offset, WebhookSigningKey.MacBytes)))
                {
                    return Outcome.Match;
                }
            }
        }

        return readable ? Outcome.NoMatch : Outcome.Unreadable;
    }
}
