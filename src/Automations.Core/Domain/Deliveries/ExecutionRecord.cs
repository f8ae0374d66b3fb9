using Automations.Core.Domain.Events;

namespace Automations.Core.Domain.Deliveries;

/// <summary>
/// One row of an automation's execution history: an attempt (or a suppression) of a delivery, with its target,
/// the request body with secret values redacted, and the result.
/// </summary>
public sealed record ExecutionRecord
{
    /// <summary>The row id.</summary>
    public required string Id { get; init; }

    /// <summary>The delivery the row belongs to.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>The automation.</summary>
    public required string AutomationId { get; init; }

    /// <summary>The entity (team) the automation belongs to.</summary>
    public required string Entity { get; init; }

    /// <summary>The triggering event's id.</summary>
    public required string EventId { get; init; }

    /// <summary>The triggering event's type.</summary>
    public required ArtifactEventType EventType { get; init; }

    /// <summary>When the attempt ended (or the suppression happened).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The attempt number (0 for a suppression).</summary>
    public int Attempt { get; init; }

    /// <summary>The outcome.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>The action's target: a URL or a queue name.</summary>
    public string? Target { get; init; }

    /// <summary>The request body with secret values redacted, or null.</summary>
    public string? RequestBody
    {
        get => RequestBodyText?.ToString();
        init => RequestBodyText = Utf8Text.From(value);
    }

    /// <summary>The recorded body as held in memory (UTF-8); set by the engine without a UTF-16 copy.</summary>
    internal Utf8Text? RequestBodyText { get; init; }

    /// <summary>The response status code, or null.</summary>
    public int? ResponseStatus { get; init; }

    /// <summary>The response body, capped, or null.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The error, or null (never contains secret values).</summary>
    public string? Error { get; init; }

    /// <summary>How long the attempt took, or null.</summary>
    public TimeSpan? Duration { get; init; }
}
