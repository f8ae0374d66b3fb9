namespace Automations.Core.Engine;

/// <summary>Computes when a failed delivery is retried, or that it is exhausted.</summary>
internal sealed class RetryPolicy(AutomationEngineOptions options, Func<double> random)
{
    /// <summary>
    /// The time of the next attempt after attempt number <paramref name="attemptsSoFar"/> failed, or null when
    /// the schedule is exhausted. <paramref name="retryAfter"/>, when given, is a floor (capped).
    /// </summary>
    public DateTimeOffset? NextAttemptAt(int attemptsSoFar, DateTimeOffset now, TimeSpan? retryAfter)
    {
        if (attemptsSoFar >= options.RetrySchedule.Count)
        {
            return null;
        }

        var delay = options.RetrySchedule[attemptsSoFar];
        if (options.RetryJitter > 0 && delay > TimeSpan.Zero)
        {
            var factor = 1 + (options.RetryJitter * ((random() * 2) - 1));
            delay = TimeSpan.FromTicks((long)(delay.Ticks * factor));
        }

        if (retryAfter is { } ra && ra > delay)
        {
            delay = ra > options.MaxRetryAfter ? options.MaxRetryAfter : ra;
        }

        return now + delay;
    }
}
