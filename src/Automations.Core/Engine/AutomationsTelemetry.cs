using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Automations.Core.Engine;

/// <summary>
/// The library's telemetry: an <see cref="ActivitySource"/> with one span per delivery attempt, and a
/// <see cref="Meter"/> with published events, deliveries by outcome, attempt latency and queue depth. Listen to
/// the name <see cref="Name"/> (OpenTelemetry: <c>AddSource</c>/<c>AddMeter</c>).
/// </summary>
public static class AutomationsTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Automations.Core</c>.</summary>
    public const string Name = "Automations.Core";

    private static long s_queueDepth;

    internal static ActivitySource ActivitySource { get; } = new(Name, typeof(AutomationsTelemetry).Assembly.GetName().Version?.ToString());

    internal static Meter Meter { get; } = new(Name, typeof(AutomationsTelemetry).Assembly.GetName().Version?.ToString());

    internal static Counter<long> EventsPublished { get; } = Meter.CreateCounter<long>("automations.events.published", "{event}", "Events published (duplicates excluded).");

    internal static Counter<long> DeliveriesPlanned { get; } = Meter.CreateCounter<long>("automations.deliveries.planned", "{delivery}", "Deliveries planned, by status (pending or suppressed).");

    internal static Counter<long> AttemptsCompleted { get; } = Meter.CreateCounter<long>("automations.delivery.attempts", "{attempt}", "Delivery attempts, by outcome.");

    internal static Histogram<double> AttemptDuration { get; } = Meter.CreateHistogram<double>("automations.delivery.attempt.duration", "s", "Duration of delivery attempts.");

    internal static ObservableGauge<long> QueueDepth { get; } = Meter.CreateObservableGauge("automations.deliveries.pending", () => Interlocked.Read(ref s_queueDepth), "{delivery}", "Pending deliveries (last observed by a worker).");

    internal static void ReportQueueDepth(long depth) => Interlocked.Exchange(ref s_queueDepth, depth);
}
