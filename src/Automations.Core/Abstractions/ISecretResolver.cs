namespace Automations.Core.Abstractions;

/// <summary>
/// Reads a team secret's value at delivery time (for a template placeholder, a signing secret or an access
/// token). Only the engine calls it; no public API reads a secret back.
/// </summary>
public interface ISecretResolver
{
    /// <summary>Gets a secret's value.</summary>
    /// <param name="entity">The entity (team) owning the secret.</param>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The value, or null when the team has no such secret.</returns>
    ValueTask<string?> GetSecretAsync(string entity, string name, CancellationToken cancellationToken = default);
}
