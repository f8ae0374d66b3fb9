using System.Collections.Concurrent;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// An in-memory <see cref="IAutomationStore"/> with an index by (scope, event type): looking up an event's
/// candidates is a few dictionary reads, lock-free, whatever the number of automations. Writes are serialised.
/// Contents are lost when the process ends.
/// </summary>
public sealed class InMemoryAutomationStore : IAutomationStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Automation> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(AutomationScope Scope, string Name), string> _names = [];
    private readonly Dictionary<string, SortedDictionary<(string Name, string Id), Automation>> _byEntity = new(StringComparer.Ordinal);
    // One index per scope kind: an event looks up its team, its container and its collection, and a kind few
    // automations use (team or collection scopes, typically) stays a small, cache-resident table.
    private readonly ConcurrentDictionary<IndexKey, IndexEntry[]> _byEntityKey = new();
    private readonly ConcurrentDictionary<IndexKey, IndexEntry[]> _byContainerKey = new();
    private readonly ConcurrentDictionary<IndexKey, IndexEntry[]> _byCollectionKey = new();
    private int _entityScoped;      // indexed team-scoped automations (ConcurrentDictionary.IsEmpty takes every lock)
    private int _collectionScoped;  // indexed collection-scoped automations

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> AddAsync(Automation automation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automation);
        lock (_gate)
        {
            if (_byId.ContainsKey(automation.Id))
            {
                return ValueTask.FromResult(StoreWriteResult.IdConflict);
            }

            if (_names.ContainsKey((automation.Scope, automation.Name)))
            {
                return ValueTask.FromResult(StoreWriteResult.NameConflict);
            }

            Insert(automation);
            return ValueTask.FromResult(StoreWriteResult.Applied);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(Automation automation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automation);
        lock (_gate)
        {
            if (!_byId.TryGetValue(automation.Id, out var existing))
            {
                return ValueTask.FromResult(StoreWriteResult.NotFound);
            }

            if (_names.TryGetValue((automation.Scope, automation.Name), out var owner) && !string.Equals(owner, automation.Id, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(StoreWriteResult.NameConflict);
            }

            Remove(existing);
            Insert(automation);
            return ValueTask.FromResult(StoreWriteResult.Applied);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var existing))
            {
                return ValueTask.FromResult(false);
            }

            Remove(existing);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<Automation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<Automation>> ListAsync(string entity, PageRequest page, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_byEntity.TryGetValue(entity, out var sorted))
            {
                return ValueTask.FromResult(new Page<Automation>([], null));
            }

            var after = PageTokens.DecodeNameId(page.PageToken);
            var size = page.EffectivePageSize;
            var items = new List<Automation>(Math.Min(size, sorted.Count));
            foreach (var ((name, id), automation) in sorted)
            {
                if (after is { } a && Compare((name, id), a) <= 0)
                {
                    continue;
                }

                if (items.Count == size)
                {
                    var last = items[^1];
                    return ValueTask.FromResult(new Page<Automation>(items, PageTokens.EncodeNameId(last.Name, last.Id)));
                }

                items.Add(automation);
            }

            return ValueTask.FromResult(new Page<Automation>(items, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Automation>> FindCandidatesAsync(ArtifactEvent artifactEvent, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(FindCandidates(artifactEvent));

    /// <summary>Synchronous form of <see cref="FindCandidatesAsync"/> (the in-memory lookup never waits).</summary>
    /// <param name="artifactEvent">The event.</param>
    /// <returns>The candidates.</returns>
    public IReadOnlyList<Automation> FindCandidates(ArtifactEvent artifactEvent)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        var container = artifactEvent.Container;
        IndexEntry[]? byEntity = null;
        IndexEntry[]? byCollection = null;
        if (Volatile.Read(ref _entityScoped) > 0)
        {
            _byEntityKey.TryGetValue(IndexKey.ForEntity(artifactEvent.Entity, artifactEvent.Type), out byEntity);
        }

        _byContainerKey.TryGetValue(IndexKey.ForContainer(container, artifactEvent.Type), out var byContainer);
        if (Volatile.Read(ref _collectionScoped) > 0)
        {
            _byCollectionKey.TryGetValue(IndexKey.ForCollection(container, artifactEvent.Collection, artifactEvent.Type), out byCollection);
        }

        var count = (byEntity?.Length ?? 0) + (byContainer?.Length ?? 0) + (byCollection?.Length ?? 0);
        if (count == 0)
        {
            return [];
        }

        var result = new List<Automation>(count);
        Collect(byEntity, artifactEvent.Collection, result);
        Collect(byContainer, artifactEvent.Collection, result);
        Collect(byCollection, artifactEvent.Collection, result);
        return result;
    }

    private static void Collect(IndexEntry[]? bucket, string collection, List<Automation> result)
    {
        if (bucket is null)
        {
            return;
        }

        foreach (var entry in bucket)
        {
            // Entries are enabled automations only; the collection is kept inline so a mismatch costs no extra reads.
            if (entry.Collection is null || string.Equals(entry.Collection, collection, StringComparison.Ordinal))
            {
                result.Add(entry.Automation);
            }
        }
    }

    private static int Compare((string Name, string Id) x, (string Name, string Id) y)
    {
        var c = string.CompareOrdinal(x.Name, y.Name);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    private void Insert(Automation automation)
    {
        _byId[automation.Id] = automation;
        _names[(automation.Scope, automation.Name)] = automation.Id;
        if (!_byEntity.TryGetValue(automation.Scope.Entity, out var sorted))
        {
            sorted = new SortedDictionary<(string, string), Automation>(Comparer<(string Name, string Id)>.Create(Compare));
            _byEntity[automation.Scope.Entity] = sorted;
        }

        sorted[(automation.Name, automation.Id)] = automation;
        if (!automation.Enabled)
        {
            return; // Disabled automations never fire: they stay out of the index.
        }

        var entry = new IndexEntry(automation, automation.Trigger.Collection);
        CountScoped(automation.Scope.Kind, +1); // counted first, so a concurrent lookup never skips a live entry
        IndexFor(automation.Scope.Kind).AddOrUpdate(IndexKey.For(automation), _ => [entry], (_, bucket) => [.. bucket, entry]);
    }

    private void Remove(Automation automation)
    {
        _byId.Remove(automation.Id);
        _names.Remove((automation.Scope, automation.Name));
        if (_byEntity.TryGetValue(automation.Scope.Entity, out var sorted))
        {
            sorted.Remove((automation.Name, automation.Id));
        }

        if (!automation.Enabled)
        {
            return;
        }

        var index = IndexFor(automation.Scope.Kind);
        var key = IndexKey.For(automation);
        if (index.TryGetValue(key, out var bucket))
        {
            var rest = Array.FindAll(bucket, e => !string.Equals(e.Automation.Id, automation.Id, StringComparison.Ordinal));
            if (rest.Length == 0)
            {
                index.TryRemove(key, out _);
            }
            else
            {
                index[key] = rest;
            }
        }

        CountScoped(automation.Scope.Kind, -1);
    }

    private void CountScoped(AutomationScopeKind kind, int delta)
    {
        if (kind == AutomationScopeKind.Entity)
        {
            Interlocked.Add(ref _entityScoped, delta);
        }
        else if (kind == AutomationScopeKind.Collection)
        {
            Interlocked.Add(ref _collectionScoped, delta);
        }
    }

    private ConcurrentDictionary<IndexKey, IndexEntry[]> IndexFor(AutomationScopeKind kind) => kind switch
    {
        AutomationScopeKind.Entity => _byEntityKey,
        AutomationScopeKind.Collection => _byCollectionKey,
        _ => _byContainerKey,
    };

    private readonly record struct IndexEntry(Automation Automation, string? Collection);

    private readonly record struct IndexKey(AutomationScopeKind Kind, ArtifactContainerKind ContainerKind, string Entity, string? Container, string? Collection, ArtifactEventType EventType)
    {
        public static IndexKey ForEntity(string entity, ArtifactEventType type) => new(AutomationScopeKind.Entity, default, entity, null, null, type);

        public static IndexKey ForContainer(ArtifactContainer c, ArtifactEventType type)
            => new(c.Kind == ArtifactContainerKind.Registry ? AutomationScopeKind.Registry : AutomationScopeKind.Project, c.Kind, c.Entity, c.Name, null, type);

        public static IndexKey ForCollection(ArtifactContainer c, string collection, ArtifactEventType type)
            => new(AutomationScopeKind.Collection, c.Kind, c.Entity, c.Name, collection, type);

        public static IndexKey For(Automation automation)
        {
            var scope = automation.Scope;
            var type = automation.Trigger.EventType;
            return scope.Kind switch
            {
                AutomationScopeKind.Entity => ForEntity(scope.Entity, type),
                AutomationScopeKind.Collection => ForCollection(scope.Container!, scope.Collection!, type),
                _ => ForContainer(scope.Container!, type),
            };
        }
    }
}
