namespace Automations.Core.Engine;

/// <summary>
/// A sliding-window count of deliveries per automation, in process memory: a flood of matching events beyond the
/// limit is suppressed (and recorded). Several processes each apply the limit to what they publish.
/// </summary>
internal sealed class AutomationRateLimiter(AutomationEngineOptions options)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public bool TryAcquire(string automationId, DateTimeOffset now)
    {
        if (options.RateLimitPerAutomation is not { } limit)
        {
            return true;
        }

        lock (_gate)
        {
            if (!_windows.TryGetValue(automationId, out var window))
            {
                window = new Queue<DateTimeOffset>();
                _windows[automationId] = window;
            }

            while (window.Count > 0 && window.Peek() <= now - options.RateLimitWindow)
            {
                window.Dequeue();
            }

            if (window.Count >= limit)
            {
                return false;
            }

            window.Enqueue(now);
            return true;
        }
    }

    /// <summary>Gives back a slot taken for a publish that turned out to be a duplicate.</summary>
    public void Refund(string automationId, DateTimeOffset at)
    {
        if (options.RateLimitPerAutomation is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_windows.TryGetValue(automationId, out var window) && window.Contains(at))
            {
                var removed = false;
                _windows[automationId] = new Queue<DateTimeOffset>(window.Where(t => removed || !(removed = t == at)));
            }
        }
    }
}
