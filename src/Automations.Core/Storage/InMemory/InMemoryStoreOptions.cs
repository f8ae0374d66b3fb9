using Automations.Core.Domain;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// How much the in-memory stores remember, so that a long-running host using them does not grow without bound.
/// What still needs something is always kept: pending (and leased) deliveries and dead deliveries (which wait
/// for a redelivery by hand). What is finished is kept up to the limits below and then forgotten, oldest first.
/// The durable stores keep everything. Validated at start-up (<c>AddAutomations().ConfigureInMemoryStores(...)</c>)
/// and by the store constructors.
/// </summary>
/// <example>
/// <code>
/// services.AddAutomations().ConfigureInMemoryStores(o =>
/// {
///     o.FinishedDeliveriesPerAutomation = 5_000;
///     o.HistoryRowsPerAutomation = 10_000;
/// });
/// </code>
/// </example>
public sealed class InMemoryStoreOptions
{
    /// <summary>The default of <see cref="FinishedDeliveriesPerAutomation"/>: 1,000.</summary>
    public const int DefaultFinishedDeliveriesPerAutomation = 1_000;

    /// <summary>The default of <see cref="HistoryRowsPerAutomation"/>: 2,000 (a pending row and an attempt row per delivery).</summary>
    public const int DefaultHistoryRowsPerAutomation = 2_000;

    /// <summary>The default of <see cref="RememberedEventIds"/>: 100,000.</summary>
    public const int DefaultRememberedEventIds = 100_000;

    /// <summary>
    /// How many finished deliveries (succeeded or suppressed) the delivery store keeps per automation; older ones
    /// are forgotten in the order they finished (<c>GetAsync</c> returns null for them and lists skip them). Dead
    /// deliveries are not counted and are always kept. At least 1.
    /// </summary>
    public int FinishedDeliveriesPerAutomation { get; set; } = DefaultFinishedDeliveriesPerAutomation;

    /// <summary>
    /// How many history rows the history store keeps per automation; older rows are forgotten, oldest first
    /// (the automation's latest row is always kept). At least 1.
    /// </summary>
    public int HistoryRowsPerAutomation { get; set; } = DefaultHistoryRowsPerAutomation;

    /// <summary>
    /// How many of the most recently published event ids the delivery store remembers at least to make publishing
    /// idempotent: an event id published again within this window is recognised as a duplicate; one older than
    /// the window may be treated as new. Ids are forgotten a whole window at a time, so up to twice as many are
    /// held. At least 1.
    /// </summary>
    public int RememberedEventIds { get; set; } = DefaultRememberedEventIds;

    /// <summary>Describes the limits.</summary>
    /// <returns>A description.</returns>
    public override string ToString()
        => $"InMemoryStoreOptions {{ FinishedDeliveriesPerAutomation = {FinishedDeliveriesPerAutomation}, HistoryRowsPerAutomation = {HistoryRowsPerAutomation}, RememberedEventIds = {RememberedEventIds} }}";

    /// <summary>Throws <see cref="AutomationValidationException"/> listing every problem of the options.</summary>
    internal void ThrowIfInvalid()
    {
        var problems = new ValidationProblemCollector();
        Validate(problems);
        problems.ThrowIfInvalid();
    }

    /// <summary>Adds every problem of the options to <paramref name="problems"/>.</summary>
    internal void Validate(ValidationProblemCollector problems)
    {
        Positive(problems, nameof(FinishedDeliveriesPerAutomation), FinishedDeliveriesPerAutomation);
        Positive(problems, nameof(HistoryRowsPerAutomation), HistoryRowsPerAutomation);
        Positive(problems, nameof(RememberedEventIds), RememberedEventIds);
    }

    private static void Positive(ValidationProblemCollector problems, string path, int value)
    {
        if (value < 1)
        {
            problems.Add(path, $"Must be at least 1 (was {value}).");
        }
    }
}
