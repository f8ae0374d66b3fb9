namespace Automations.Core.Engine;

/// <summary>Settings of the automation engine: retries, leases, concurrency and rate limits.</summary>
public sealed class AutomationEngineOptions
{
    /// <summary>
    /// The default retry schedule (Standard Webhooks' example): the delay before each attempt, the first being
    /// immediate — now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(14),
        TimeSpan.FromHours(20),
        TimeSpan.FromHours(24),
    ];

    /// <summary>
    /// The delay before each attempt; its length is the maximum number of attempts. After the last attempt fails
    /// the delivery is dead. Default: <see cref="DefaultRetrySchedule"/>.
    /// </summary>
    public IList<TimeSpan> RetrySchedule { get; } = [.. DefaultRetrySchedule];

    /// <summary>
    /// Random spread applied to each retry delay, as a fraction (0.2 = ±20 %), so retries from many deliveries do
    /// not arrive together. 0 disables jitter. Default 0.2.
    /// </summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>The longest <c>Retry-After</c> honoured; longer requests are capped. Default 24 h.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a claimed delivery is leased to a worker; must exceed the action timeout. Default 2 min.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most attempts running at once in this process. Default 16.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>The most attempts running at once against one endpoint (e.g. one webhook integration). Default 4.</summary>
    public int MaxConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>How long a delivery waits before being tried again when its endpoint is at its limit. Default 1 s.</summary>
    public TimeSpan EndpointBusyDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the background worker looks for due deliveries when idle. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most deliveries one automation may create per <see cref="RateLimitWindow"/>; further matches are
    /// suppressed and recorded as such in the history. Null disables the limit. Default 100.
    /// </summary>
    public int? RateLimitPerAutomation { get; set; } = 100;

    /// <summary>The window of <see cref="RateLimitPerAutomation"/>. Default 1 min.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An endpoint (webhook integration) failing without a single success for this long is disabled with a
    /// reason. Default 5 days.
    /// </summary>
    public TimeSpan DisableEndpointAfterFailingFor { get; set; } = TimeSpan.FromDays(5);
}
