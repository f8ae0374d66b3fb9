using Automations.Core.Domain;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Http;

/// <summary>
/// Thrown by the guarded HTTP handler (<see cref="EndpointGuard.CreateHandler(Uri?)"/>) when the endpoint policy
/// refuses a connection; <see cref="System.Net.Http.HttpClient"/> surfaces it as the inner exception of an
/// <see cref="System.Net.Http.HttpRequestException"/>. The webhook dispatcher turns it into a
/// <see cref="WebhookDispatchOutcomeKind.RefusedByPolicy"/> outcome; other callers can look for it.
/// </summary>
public sealed class EndpointRefusedException : AutomationsException
{
    /// <summary>Creates the exception for a refusal.</summary>
    /// <param name="decision">The refusal (not an allowed decision).</param>
    public EndpointRefusedException(EndpointDecision decision)
        : base(CheckDecision(decision).ToString())
    {
        Decision = decision;
    }

    /// <summary>The policy's decision, with the reason and the offending address when there is one.</summary>
    public EndpointDecision Decision { get; }

    private static EndpointDecision CheckDecision(EndpointDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.IsAllowed
            ? throw new ArgumentException("An allowed decision is not a refusal.", nameof(decision))
            : decision;
    }
}
