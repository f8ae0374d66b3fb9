using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;

namespace Automations.Core.Storage.InMemory;

/// <summary>An in-memory <see cref="IExecutionHistoryStore"/>; rows are listed newest first (by append order).</summary>
public sealed class InMemoryExecutionHistoryStore : IExecutionHistoryStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<ExecutionRecord>> _byAutomation = new(StringComparer.Ordinal);
    // Per delivery the rows are few (pending, then one per attempt): the first two are kept inline, so the usual
    // delivery costs no list of its own.
    private readonly Dictionary<string, DeliveryRows> _byDelivery = new(StringComparer.Ordinal);
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
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byAutomation.TryGetValue(automationId, out var rows) ? Paged(rows, page) : Empty);
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<ExecutionRecord>> ListByDeliveryAsync(string deliveryId, PageRequest page, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byDelivery.TryGetValue(deliveryId, out var rows) ? Paged(rows.ToArray(), page) : Empty);
        }
    }

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
        if (!_byAutomation.TryGetValue(record.AutomationId, out var rows))
        {
            rows = [];
            _byAutomation[record.AutomationId] = rows;
        }

        rows.Add(record);
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byDelivery, record.DeliveryId, out _).Add(record);
        if (!_latest.TryGetValue(record.AutomationId, out var latest) || record.At >= latest.At)
        {
            _latest[record.AutomationId] = record;
        }
    }

    private static Page<ExecutionRecord> Empty => new([], null);

    /// <summary>Newest first; the token is the count of rows older than the page's first row (appends never shift it).</summary>
    private static Page<ExecutionRecord> Paged(IReadOnlyList<ExecutionRecord> rows, PageRequest page)
    {
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

    /// <summary>One delivery's rows in order: two inline, more in a list.</summary>
    private struct DeliveryRows
    {
        private ExecutionRecord? _first;
        private ExecutionRecord? _second;
        private List<ExecutionRecord>? _more;

        public void Add(ExecutionRecord record)
        {
            if (_first is null)
            {
                _first = record;
            }
            else if (_second is null)
            {
                _second = record;
            }
            else
            {
                (_more ??= []).Add(record);
            }
        }

        public readonly ExecutionRecord[] ToArray()
        {
            if (_first is null)
            {
                return [];
            }

            if (_second is null)
            {
                return [_first];
            }

            return _more is null ? [_first, _second] : [_first, _second, .. _more];
        }
    }
}
