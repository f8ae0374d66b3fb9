namespace Automations.Core.Domain.Deliveries;

/// <summary>
/// A claimed delivery: the worker holds it until <see cref="ExpiresAt"/>. Completing it is fenced by
/// <see cref="Token"/>, so a worker whose lease expired and was reclaimed cannot overwrite the new owner's result.
/// </summary>
/// <param name="Delivery">The delivery as claimed (its attempt count already includes this attempt).</param>
/// <param name="Token">The lease token.</param>
/// <param name="ExpiresAt">When the lease lapses and the delivery can be claimed again.</param>
public sealed record DeliveryLease(Delivery Delivery, Guid Token, DateTimeOffset ExpiresAt)
{
    /// <summary>This attempt's number (1 for the first attempt).</summary>
    public int Attempt => Delivery.Attempts;
}
