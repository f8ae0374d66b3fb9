using Automations.Core.Domain.Deliveries;

namespace Automations.Core.Abstractions;

/// <summary>The execution history: one row per attempt or suppression, listed newest first.</summary>
public interface IExecutionHistoryStore
{
    /// <summary>Appends a row.</summary>
    /// <param name="record">The row (its request body already redacted).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the row is stored.</returns>
    ValueTask AppendAsync(ExecutionRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends several rows, in order. Durable stores write them in one transaction; the default implementation
    /// appends them one by one.
    /// </summary>
    /// <param name="records">The rows (their request bodies already redacted).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the rows are stored.</returns>
    async ValueTask AppendManyAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            await AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists an automation's rows, newest first.</summary>
    /// <param name="automationId">The automation.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    ValueTask<Page<ExecutionRecord>> ListByAutomationAsync(string automationId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Lists a delivery's rows, newest first.</summary>
    /// <param name="deliveryId">The delivery.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page.</returns>
    ValueTask<Page<ExecutionRecord>> ListByDeliveryAsync(string deliveryId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets an automation's newest row: the one with the latest <see cref="ExecutionRecord.At"/>, and of rows with
    /// equal times the last appended (the Automations list's "last status"). Not simply the last appended row: the
    /// worker may record an attempt before the engine's "pending" row for the same delivery is stored, since the
    /// delivery is claimable as soon as it is published.
    /// </summary>
    /// <param name="automationId">The automation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The newest row, or null.</returns>
    ValueTask<ExecutionRecord?> GetLatestAsync(string automationId, CancellationToken cancellationToken = default);
}
