namespace Automations.Core.Http;

/// <summary>Sends one webhook delivery attempt and reports its outcome as a value.</summary>
public interface IWebhookDispatcher
{
    /// <summary>
    /// POSTs the request's body to its URL once (no retries, no redirects) and reports what happened. Ordinary
    /// failures (refusals, timeouts, connection errors, non-2xx statuses) are outcomes, not exceptions.
    /// </summary>
    /// <param name="request">The delivery to send.</param>
    /// <param name="cancellationToken">Cancels the attempt; cancellation is reported by throwing <see cref="OperationCanceledException"/>.</param>
    /// <returns>The outcome.</returns>
    Task<WebhookDispatchOutcome> DispatchAsync(WebhookDispatchRequest request, CancellationToken cancellationToken = default);
}
