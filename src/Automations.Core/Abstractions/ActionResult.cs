using Automations.Core.Domain.Deliveries;

namespace Automations.Core.Abstractions;

/// <summary>How an action attempt ended.</summary>
public enum ActionOutcome
{
    /// <summary>The action succeeded.</summary>
    Succeeded = 0,

    /// <summary>A transient failure: retry on the schedule (or after <see cref="ActionResult.RetryAfter"/>).</summary>
    RetryableFailure = 1,

    /// <summary>A permanent failure: no retry; the delivery is dead.</summary>
    PermanentFailure = 2,

    /// <summary>The target is gone for good (HTTP 410); the delivery is dead and the handler disabled the target.</summary>
    TargetGone = 3,

    /// <summary>Refused before sending (SSRF policy, disabled integration, missing secret): no retry.</summary>
    Refused = 4,
}

/// <summary>The result of one action attempt, recorded in the execution history.</summary>
public sealed record ActionResult
{
    /// <summary>How the attempt ended.</summary>
    public required ActionOutcome Outcome { get; init; }

    /// <summary>The target (URL or queue name), or null.</summary>
    public string? Target { get; init; }

    /// <summary>The request body with secret values redacted, or null.</summary>
    public string? RequestBody
    {
        get => RequestBodyText?.ToString();
        init => RequestBodyText = Utf8Text.From(value);
    }

    /// <summary>The request body as UTF-8, passed on to the history without a UTF-16 copy.</summary>
    internal Utf8Text? RequestBodyText { get; init; }

    /// <summary>The response status code, or null.</summary>
    public int? ResponseStatus { get; init; }

    /// <summary>The response body, capped, or null.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The error, or null (never contains secret values).</summary>
    public string? Error { get; init; }

    /// <summary>How long the target asked us to wait before retrying (Retry-After), or null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A success.</summary>
    /// <param name="target">The target.</param>
    /// <returns>The result.</returns>
    public static ActionResult Success(string? target = null) => new() { Outcome = ActionOutcome.Succeeded, Target = target };

    /// <summary>A failure.</summary>
    /// <param name="outcome">Which kind of failure.</param>
    /// <param name="error">What went wrong (no secret values).</param>
    /// <param name="target">The target.</param>
    /// <returns>The result.</returns>
    public static ActionResult Failure(ActionOutcome outcome, string error, string? target = null) => new() { Outcome = outcome, Error = error, Target = target };
}
