using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Automations.Core.Abstractions;
using Automations.Core.Domain;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// Team secrets kept in process memory (for tests and the demo). Values can be set and replaced but never read
/// back through this type's public API; only the engine reads them through <see cref="ISecretResolver"/>.
/// </summary>
public sealed partial class InMemorySecretStore : ISecretResolver
{
    private readonly ConcurrentDictionary<(string Entity, string Name), string> _values = new();

    /// <summary>Creates or replaces a team secret.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret name: letters, digits and <c>_</c>.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="AutomationValidationException">The name or value is invalid.</exception>
    public void Set(string entity, string name, string value)
    {
        var problems = new ValidationProblemCollector();
        if (string.IsNullOrWhiteSpace(entity))
        {
            problems.Add("entity", "Entity name is required.");
        }

        if (name is null || !SecretName().IsMatch(name))
        {
            problems.Add("name", "A secret name is 1-128 letters, digits and '_'.");
        }

        if (string.IsNullOrEmpty(value))
        {
            problems.Add("value", "A secret value must not be empty.");
        }

        problems.ThrowIfInvalid();
        _values[(entity, name!)] = value;
    }

    /// <summary>Deletes a team secret.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret name.</param>
    /// <returns>Whether it existed.</returns>
    public bool Delete(string entity, string name) => _values.TryRemove((entity, name), out _);

    /// <summary>The team's secret names (never values), sorted.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <returns>The names.</returns>
    public IReadOnlyList<string> ListNames(string entity)
        => [.. _values.Keys.Where(k => string.Equals(k.Entity, entity, StringComparison.Ordinal)).Select(k => k.Name).Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    ValueTask<string?> ISecretResolver.GetSecretAsync(string entity, string name, CancellationToken cancellationToken)
        => ValueTask.FromResult(_values.GetValueOrDefault((entity, name)));

    /// <summary>Describes the store without any values.</summary>
    /// <returns>The number of secrets held.</returns>
    public override string ToString() => $"{nameof(InMemorySecretStore)} ({_values.Count} secrets)";

    [GeneratedRegex("^[A-Za-z0-9_]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
