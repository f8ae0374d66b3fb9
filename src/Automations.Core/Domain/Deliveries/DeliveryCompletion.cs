namespace Automations.Core.Domain.Deliveries;

/// <summary>How an attempt ended, as recorded on the delivery.</summary>
/// <param name="Status">
/// <see cref="DeliveryStatus.Succeeded"/>, <see cref="DeliveryStatus.Dead"/>, or
/// <see cref="DeliveryStatus.Pending"/> for a retry at <paramref name="RetryAt"/>.
/// </param>
/// <param name="CompletedAt">When the attempt ended.</param>
/// <param name="RetryAt">When to retry (only with <see cref="DeliveryStatus.Pending"/>).</param>
/// <param name="Error">The error, or null (never contains secret values).</param>
public sealed record DeliveryCompletion(DeliveryStatus Status, DateTimeOffset CompletedAt, DateTimeOffset? RetryAt = null, string? Error = null)
{
    /// <summary>The attempt succeeded.</summary>
    /// <param name="at">When.</param>
    /// <returns>The completion.</returns>
    public static DeliveryCompletion Succeeded(DateTimeOffset at) => new(DeliveryStatus.Succeeded, at);

    /// <summary>The attempt failed; retry later.</summary>
    /// <param name="at">When the attempt ended.</param>
    /// <param name="retryAt">When to retry.</param>
    /// <param name="error">What went wrong.</param>
    /// <returns>The completion.</returns>
    public static DeliveryCompletion Retry(DateTimeOffset at, DateTimeOffset retryAt, string error) => new(DeliveryStatus.Pending, at, retryAt, error);

    /// <summary>The delivery is dead (permanent failure or retries exhausted).</summary>
    /// <param name="at">When.</param>
    /// <param name="error">What went wrong.</param>
    /// <returns>The completion.</returns>
    public static DeliveryCompletion Dead(DateTimeOffset at, string error) => new(DeliveryStatus.Dead, at, null, error);
}
