using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// An in-memory <see cref="IExecutionHistoryStore"/>; rows are listed newest first (by append order). Each
/// automation keeps its most recent <see cref="InMemoryStoreOptions.HistoryRowsPerAutomation"/> rows; older rows
/// are forgotten, oldest first, from the automation's list and from their delivery's.
/// </summary>
public sealed class InMemoryExecutionHistoryStore : IExecutionHistoryStore
{
    private readonly object _gate = new();
    private readonly int _rowsPerAutomation;
    private readonly Dictionary<string, RowWindow> _byAutomation = new(StringComparer.Ordinal);
    // Per delivery the rows are few (pending, then one per attempt): the first two are kept inline, so the usual
    // delivery costs no list of its own.
    private readonly Dictionary<string, DeliveryRows> _byDelivery = new(StringComparer.Ordinal);

    /// <summary>Creates a store with the default limit of <see cref="InMemoryStoreOptions"/>.</summary>
    public InMemoryExecutionHistoryStore()
        : this(new InMemoryStoreOptions())
    {
    }

    /// <summary>Creates a store keeping <see cref="InMemoryStoreOptions.HistoryRowsPerAutomation"/> rows per automation.</summary>
    /// <param name="options">The limits.</param>
    /// <exception cref="Domain.AutomationValidationException">A limit is below 1.</exception>
    public InMemoryExecutionHistoryStore(InMemoryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _rowsPerAutomation = options.HistoryRowsPerAutomation;
    }

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
        for (var i = 0; i < records.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(records[i], nameof(records));
        }

        lock (_gate)
        {
            for (var i = 0; i < records.Count; i++)
            {
                AddRow(records[i]);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Page<ExecutionRecord>> ListByAutomationAsync(string automationId, PageRequest page, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byAutomation.TryGetValue(automationId, out var rows) ? rows.Page(page) : Empty);
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
            return ValueTask.FromResult(_byAutomation.TryGetValue(automationId, out var rows) ? rows.Latest : null);
        }
    }

    private void AddRow(ExecutionRecord record)
    {
        if (!_byAutomation.TryGetValue(record.AutomationId, out var rows))
        {
            rows = new RowWindow(_rowsPerAutomation);
            _byAutomation[record.AutomationId] = rows;
        }

        if (rows.Add(record) is { } forgotten)
        {
            ref var ofDelivery = ref CollectionsMarshal.GetValueRefOrNullRef(_byDelivery, forgotten.DeliveryId);
            if (!Unsafe.IsNullRef(ref ofDelivery) && ofDelivery.Remove(forgotten))
            {
                _byDelivery.Remove(forgotten.DeliveryId);
            }
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_byDelivery, record.DeliveryId, out _).Add(record);
    }

    private static Page<ExecutionRecord> Empty => new([], null);

    /// <summary>Newest first; the token is the count of rows older than the page's first row (appends never shift it).</summary>
    private static Page<ExecutionRecord> Paged(ExecutionRecord[] rows, PageRequest page)
    {
        var start = PageTokens.DecodeSequence(page.PageToken) is { } s ? (int)Math.Min(s, rows.Length) : rows.Length;
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

    /// <summary>
    /// One automation's most recent rows, in append order, in a ring of at most the configured size. Rows are
    /// numbered from the automation's first row ever appended, so page tokens (the number of rows older than a
    /// page's first row) keep their meaning while old rows are forgotten.
    /// </summary>
    private sealed class RowWindow(int capacity)
    {
        private ExecutionRecord[] _ring = new ExecutionRecord[Math.Min(capacity, 16)];
        private int _head;
        private int _count;
        private long _appended;

        /// <summary>The row with the latest <see cref="ExecutionRecord.At"/> (the last appended among equals); never forgotten.</summary>
        public ExecutionRecord? Latest { get; private set; }

        /// <summary>Appends a row; returns the row forgotten to make room, if any.</summary>
        public ExecutionRecord? Add(ExecutionRecord record)
        {
            if (Latest is null || record.At >= Latest.At)
            {
                Latest = record;
            }

            _appended++;
            if (_count < _ring.Length)
            {
                _ring[(_head + _count++) % _ring.Length] = record;
                return null;
            }

            if (_ring.Length < capacity)
            {
                // Grow in order: the oldest row moves to index 0.
                var grown = new ExecutionRecord[(int)Math.Min((long)_ring.Length * 2, capacity)];
                for (var i = 0; i < _count; i++)
                {
                    grown[i] = _ring[(_head + i) % _ring.Length];
                }

                _ring = grown;
                _head = 0;
                _ring[_count++] = record;
                return null;
            }

            var forgotten = _ring[_head];
            _ring[_head] = record;
            _head = (_head + 1) % _ring.Length;
            return forgotten;
        }

        public Page<ExecutionRecord> Page(PageRequest page)
        {
            var oldest = _appended - _count;
            var start = PageTokens.DecodeSequence(page.PageToken) is { } s ? Math.Min(s, _appended) : _appended;
            var take = (int)Math.Max(0L, Math.Min((long)page.EffectivePageSize, start - oldest));
            var items = new List<ExecutionRecord>(take);
            for (var n = start - 1; n >= start - take; n--)
            {
                items.Add(_ring[(int)((_head + (n - oldest)) % _ring.Length)]);
            }

            var next = start - take;
            return new Page<ExecutionRecord>(items, next > oldest ? PageTokens.EncodeSequence(next) : null);
        }
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

        /// <summary>Removes the delivery's oldest row when it is <paramref name="record"/>; returns true when no row is left.</summary>
        public bool Remove(ExecutionRecord record)
        {
            if (!ReferenceEquals(_first, record))
            {
                return false;
            }

            _first = _second;
            if (_more is { Count: > 0 })
            {
                _second = _more[0];
                _more.RemoveAt(0);
            }
            else
            {
                _second = null;
            }

            return _first is null;
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
