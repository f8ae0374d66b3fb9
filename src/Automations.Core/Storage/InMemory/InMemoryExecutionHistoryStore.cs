using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;

namespace Automations.Core.Storage.InMemory;

/// <summary>An in-memory <see cref="IExecutionHistoryStore"/>; rows are listed newest first (by append order).</summary>
public sealed class InMemoryExecutionHistoryStore : IExecutionHistoryStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<ExecutionRecord>> _byAutomation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ExecutionRecord>> _byDelivery = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionRecord> _latest = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AppendAsync(ExecutionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            AddRow(record);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AppendManyAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                ArgumentNullException.ThrowIfNull(record);
                AddRow(record);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Page<ExecutionRecord>> ListByAutomationAsync(string automationId, PageRequest page, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(List(_byAutomation, automationId, page));

    /// <inheritdoc />
    public ValueTask<Page<ExecutionRecord>> ListByDeliveryAsync(string deliveryId, PageRequest page, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(List(_byDelivery, deliveryId, page));

    /// <inheritdoc />
    public ValueTask<ExecutionRecord?> GetLatestAsync(string automationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_latest.GetValueOrDefault(automationId));
        }
    }

    private void AddRow(ExecutionRecord record)
    {
        Add(_byAutomation, record.AutomationId, record);
        Add(_byDelivery, record.DeliveryId, record);
        if (!_latest.TryGetValue(record.AutomationId, out var latest) || record.At >= latest.At)
        {
            _latest[record.AutomationId] = record;
        }
    }

    private static void Add(Dictionary<string, List<ExecutionRecord>> map, string key, ExecutionRecord record)
    {
        if (!map.TryGetValue(key, out var rows))
        {
            rows = [];
            map[key] = rows;
        }

        rows.Add(record);
    }

    private Page<ExecutionRecord> List(Dictionary<string, List<ExecutionRecord>> map, string key, PageRequest page)
    {
        lock (_gate)
        {
            if (!map.TryGetValue(key, out var rows))
            {
                return new Page<ExecutionRecord>([], null);
            }

            // The token is the count of rows that were older than the page's first row; appends never shift it.
            var start = PageTokens.DecodeSequence(page.PageToken) is { } s ? (int)Math.Min(s, rows.Count) : rows.Count;
            var size = page.EffectivePageSize;
            var take = Math.Min(size, start);
            var items = new List<ExecutionRecord>(take);
            for (var i = start - 1; i >= start - take; i--)
            {
                items.Add(rows[i]);
            }

            var next = start - take;
            return new Page<ExecutionRecord>(items, next > 0 ? PageTokens.EncodeSequence(next) : null);
        }
    }
}
