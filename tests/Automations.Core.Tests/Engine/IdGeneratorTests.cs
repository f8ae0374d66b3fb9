using System.Collections.Concurrent;
using System.Globalization;
using Automations.Core.Engine;

namespace Automations.Core.Tests.Engine;

public class IdGeneratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void Random_guids_are_version_4_with_the_rfc_variant()
    {
        for (var i = 0; i < 200; i++)
        {
            var text = IdGenerator.NewGuid().ToString("N");
            Assert.Equal('4', text[12]);
            Assert.Contains(text[16], "89ab");
        }
    }

    [Fact]
    public void Time_ordered_guids_are_version_7_and_carry_the_milliseconds()
    {
        var guid = IdGenerator.NewVersion7(T0);
        var text = guid.ToString("N");

        Assert.Equal('7', text[12]);
        Assert.Contains(text[16], "89ab");
        Assert.Equal(T0.ToUnixTimeMilliseconds(), long.Parse(text[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(7, guid.Version);
    }

    [Fact]
    public void Prefixed_ids_are_the_prefix_and_32_lowercase_hex_digits_in_time_order()
    {
        var earlier = IdGenerator.NewPrefixedVersion7("dlv_", T0);
        var later = IdGenerator.NewPrefixedVersion7("dlv_", T0.AddMilliseconds(1));

        Assert.Matches("^dlv_[0-9a-f]{32}$", earlier);
        Assert.True(Guid.TryParseExact(earlier[4..], "N", out _));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public async Task Ids_are_unique_across_threads_and_across_random_blocks()
    {
        // Far more ids per thread than one block of random bytes serves, from several threads at once.
        var perThread = 10 * IdGenerator.BlockSize / 16;
        var seen = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                Assert.True(seen.TryAdd(IdGenerator.NewPrefixedVersion7("exe_", T0), 0));
                Assert.True(seen.TryAdd(IdGenerator.NewGuid().ToString("N"), 0));
            }
        })));

        Assert.Equal(4 * perThread * 2, seen.Count);
    }

    [Fact]
    public void A_time_before_the_epoch_is_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => IdGenerator.NewVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
}
