using Automations.Core.Abstractions;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// An in-memory <see cref="ISecretStore"/> (tests and the demo): holds <see cref="SecretRecord"/>s, i.e. ciphertext
/// only, like a durable store would. Contents are lost when the process ends. Manage secrets through
/// <c>SecretManager</c>.
/// </summary>
public sealed class InMemorySecretStore : ISecretStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SecretRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Entity, string Name), SecretRecord> _byName = new();

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> AddAsync(SecretRecord secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_gate)
        {
            if (_byId.ContainsKey(secret.Id))
            {
                return ValueTask.FromResult(StoreWriteResult.IdConflict);
            }

            if (NameTaken(secret))
            {
                return ValueTask.FromResult(StoreWriteResult.NameConflict);
            }

            Put(secret);
            return ValueTask.FromResult(StoreWriteResult.Applied);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(SecretRecord secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_gate)
        {
            if (!_byId.TryGetValue(secret.Id, out var existing) || !string.Equals(existing.Entity, secret.Entity, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(StoreWriteResult.NotFound);
            }

            if (existing.Version != secret.Version - 1)
            {
                return ValueTask.FromResult(StoreWriteResult.StaleVersion);
            }

            if (NameTaken(secret))
            {
                return ValueTask.FromResult(StoreWriteResult.NameConflict);
            }

            _byName.Remove((existing.Entity, existing.Name));
            Put(secret);
            return ValueTask.FromResult(StoreWriteResult.Applied);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (id is null || !_byId.Remove(id, out var removed))
            {
                return ValueTask.FromResult(false);
            }

            _byName.Remove((removed.Entity, removed.Name));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<SecretRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(id is null ? null : _byId.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<SecretRecord?> FindByNameAsync(string entity, string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(entity is null || name is null ? null : _byName.GetValueOrDefault((entity, name)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SecretRecord>> ListAsync(string entity, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SecretRecord> list = [.. _byId.Values
                .Where(s => string.Equals(s.Entity, entity, StringComparison.Ordinal))
                .OrderBy(s => s.Name, StringComparer.Ordinal)];
            return ValueTask.FromResult(list);
        }
    }

    /// <summary>Describes the store without any values.</summary>
    /// <returns>The number of secrets held.</returns>
    public override string ToString()
    {
        lock (_gate)
        {
            return $"{nameof(InMemorySecretStore)} ({_byId.Count} secrets)";
        }
    }

    private bool NameTaken(SecretRecord secret)
        => _byName.TryGetValue((secret.Entity, secret.Name), out var holder) && !string.Equals(holder.Id, secret.Id, StringComparison.Ordinal);

    private void Put(SecretRecord secret)
    {
        _byId[secret.Id] = secret;
        _byName[(secret.Entity, secret.Name)] = secret;
    }
}
