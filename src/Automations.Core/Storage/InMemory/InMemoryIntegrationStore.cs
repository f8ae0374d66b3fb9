using Automations.Core.Abstractions;
using Automations.Core.Domain.Integrations;

namespace Automations.Core.Storage.InMemory;

/// <summary>An in-memory <see cref="IIntegrationStore"/>; contents are lost when the process ends.</summary>
public sealed class InMemoryIntegrationStore : IIntegrationStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, WebhookIntegration> _byId = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> AddAsync(WebhookIntegration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        lock (_gate)
        {
            if (_byId.ContainsKey(integration.Id))
            {
                return ValueTask.FromResult(StoreWriteResult.IdConflict);
            }

            if (NameTaken(integration))
            {
                return ValueTask.FromResult(StoreWriteResult.NameConflict);
            }

            _byId[integration.Id] = integration;
            return ValueTask.FromResult(StoreWriteResult.Applied);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(WebhookIntegration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        lock (_gate)
        {
            if (!_byId.ContainsKey(integration.Id))
            {
                return ValueTask.FromResult(StoreWriteResult.NotFound);
            }

            if (NameTaken(integration))
            {
                return ValueTask.FromResult(StoreWriteResult.NameConflict);
            }

            _byId[integration.Id] = integration;
            return ValueTask.FromResult(StoreWriteResult.Applied);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.Remove(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<WebhookIntegration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookIntegration>> ListAsync(string entity, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<WebhookIntegration> list = [.. _byId.Values
                .Where(i => string.Equals(i.EntityName, entity, StringComparison.Ordinal))
                .OrderBy(i => i.Name, StringComparer.Ordinal)];
            return ValueTask.FromResult(list);
        }
    }

    private bool NameTaken(WebhookIntegration integration)
        => _byId.Values.Any(i => !string.Equals(i.Id, integration.Id, StringComparison.Ordinal)
                                 && string.Equals(i.EntityName, integration.EntityName, StringComparison.Ordinal)
                                 && string.Equals(i.Name, integration.Name, StringComparison.Ordinal));
}
