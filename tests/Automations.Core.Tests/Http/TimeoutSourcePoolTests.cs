using Automations.Core.Http;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Http;

public class TimeoutSourcePoolTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_returned_source_is_reused_and_times_out_again_on_the_pools_clock()
    {
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(s_timeout, time);
        var first = pool.Rent();
        pool.Return(first);
        Assert.Equal(1, pool.Count);

        var second = pool.Rent();
        Assert.Same(first, second);
        Assert.False(second.Token.IsCancellationRequested);
        time.Advance(s_timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(second.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_reused_source_does_not_call_the_previous_users_callbacks()
    {
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(s_timeout, time);
        var source = pool.Rent();
        var previousCalled = false;
        source.Token.UnsafeRegister(_ => previousCalled = true, null);
        pool.Return(source);

        var reused = pool.Rent();
        var currentCalled = false;
        reused.Token.UnsafeRegister(_ => currentCalled = true, null);
        time.Advance(s_timeout);

        Assert.Same(source, reused);
        Assert.True(currentCalled);
        Assert.False(previousCalled);
    }

    [Fact]
    public void A_cancelled_source_is_disposed_not_reused()
    {
        var pool = new TimeoutSourcePool(s_timeout, new FakeTimeProvider());
        var source = pool.Rent();
        source.Cancel();
        pool.Return(source);

        Assert.Equal(0, pool.Count);
        Assert.Throws<ObjectDisposedException>(() => source.Token);
        Assert.NotSame(source, pool.Rent());
    }

    [Fact]
    public void A_source_that_timed_out_is_not_reused()
    {
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(s_timeout, time);
        var source = pool.Rent();
        time.Advance(s_timeout);
        pool.Return(source);

        Assert.Equal(0, pool.Count);
        Assert.False(pool.Rent().Token.IsCancellationRequested);
    }

    [Fact]
    public void A_source_returned_after_half_its_timeout_is_disposed_even_if_not_cancelled()
    {
        var time = new FakeTimeProvider();
        var pool = new TimeoutSourcePool(s_timeout, time);
        var source = pool.Rent();
        time.Advance(s_timeout / 2);
        Assert.False(source.Token.IsCancellationRequested);
        pool.Return(source);

        Assert.Equal(0, pool.Count);
        Assert.Throws<ObjectDisposedException>(() => source.Token);
    }

    [Fact]
    public void The_pool_keeps_at_most_its_limit()
    {
        var pool = new TimeoutSourcePool(s_timeout, new FakeTimeProvider());
        var rented = Enumerable.Range(0, TimeoutSourcePool.MaxPooled + 3).Select(_ => pool.Rent()).ToList();
        foreach (var source in rented)
        {
            pool.Return(source);
        }

        Assert.Equal(TimeoutSourcePool.MaxPooled, pool.Count);
        Assert.Equal(3, rented.Count(IsDisposed));
    }

    private static bool IsDisposed(TimeoutSourcePool.TimeoutSource source)
    {
        try
        {
            _ = source.Token;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
