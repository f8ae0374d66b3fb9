namespace Automations.Core.Http;

/// <summary>
/// The dispatcher's per-request timeouts, reused: a <see cref="CancellationTokenSource"/> with a timer costs a
/// source, a timer and its callback registrations per request. Each pooled <see cref="TimeoutSource"/> keeps its
/// own timer (on the pool's <see cref="TimeProvider"/>) and a plain source that the timer cancels. One comes back to
/// the pool only when it was not cancelled (by the timeout or the caller) and less than half the timeout had elapsed
/// since it was armed: a timer at or past its due time may already be firing, and stopping it then cannot be relied
/// on, so such a one is disposed instead of risking a spurious timeout on the next request. Resetting a source drops
/// every callback still registered on it.
/// </summary>
internal sealed class TimeoutSourcePool
{
    /// <summary>The most sources kept (beyond that, returned sources are disposed).</summary>
    internal const int MaxPooled = 64;

    private readonly TimeoutSource?[] _items = new TimeoutSource?[MaxPooled];
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _reuseWithin;
    private readonly TimeProvider _time;
    private int _count;

    /// <summary>Creates an empty pool.</summary>
    /// <param name="timeout">The timeout each rented source is armed with.</param>
    /// <param name="timeProvider">The clock of the timers and of the elapsed-time check.</param>
    public TimeoutSourcePool(TimeSpan timeout, TimeProvider timeProvider)
    {
        _timeout = timeout;
        _reuseWithin = timeout / 2;
        _time = timeProvider;
    }

    /// <summary>The number of sources waiting for reuse.</summary>
    internal int Count
    {
        get
        {
            lock (_items)
            {
                return _count;
            }
        }
    }

    /// <summary>A source whose token is cancelled after the timeout, reused when one is free.</summary>
    /// <returns>The source; give it back with <see cref="Return"/> once nothing uses its token any more.</returns>
    public TimeoutSource Rent()
    {
        TimeoutSource? source = null;
        lock (_items)
        {
            if (_count > 0)
            {
                source = _items[--_count];
                _items[_count] = null;
            }
        }

        source ??= new TimeoutSource(_time);
        source.Arm(_timeout);
        return source;
    }

    /// <summary>
    /// Takes a source back: kept for reuse when it was not cancelled and was returned well before its deadline,
    /// otherwise disposed. The caller must no longer use it or its token (dispose registrations that may cancel it
    /// first).
    /// </summary>
    /// <param name="source">A source from <see cref="Rent"/>.</param>
    public void Return(TimeoutSource source)
    {
        if (source.TryReset(_reuseWithin))
        {
            lock (_items)
            {
                if (_count < _items.Length)
                {
                    _items[_count++] = source;
                    return;
                }
            }
        }

        source.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(TimeoutSourcePool)} ({Count} free, timeout {_timeout})";

    /// <summary>A cancellation source and the timer that cancels it.</summary>
    internal sealed class TimeoutSource : IDisposable
    {
        private readonly TimeProvider _time;
        private readonly ITimer _timer;
        private readonly CancellationTokenSource _source = new();
        private long _armedAt;

        public TimeoutSource(TimeProvider time)
        {
            _time = time;
            _timer = time.CreateTimer(static state => ((TimeoutSource)state!).Cancel(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Cancelled at the timeout or by <see cref="Cancel"/>.</summary>
        public CancellationToken Token => _source.Token;

        /// <summary>Cancels the token now (for example when the caller cancels).</summary>
        public void Cancel()
        {
            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // A timer callback that raced with disposal: nothing is waiting on the token any more.
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            _source.Dispose();
        }

        public override string ToString() => _source.IsCancellationRequested ? "timeout source (cancelled)" : "timeout source";

        internal void Arm(TimeSpan timeout)
        {
            _armedAt = _time.GetTimestamp();
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Disarms and resets the source, if it was not cancelled and is returned within <paramref name="within"/> of arming.</summary>
        internal bool TryReset(TimeSpan within)
        {
            if (_time.GetElapsedTime(_armedAt) >= within)
            {
                return false;
            }

            return _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) && _source.TryReset();
        }
    }
}
