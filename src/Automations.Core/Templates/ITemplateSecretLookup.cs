using System.Diagnostics.CodeAnalysis;

namespace Automations.Core.Templates;

/// <summary>
/// Synchronous access to secret values the caller has already fetched (see <see cref="TemplateSecrets"/> and
/// <see cref="PayloadTemplate.FetchSecretsAsync"/>). Implementations must never log or expose the values.
/// </summary>
public interface ITemplateSecretLookup
{
    /// <summary>Gets the value of a secret.</summary>
    /// <param name="name">The secret name, as written in the template.</param>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> when the secret is available.</returns>
    bool TryGetSecret(string name, [NotNullWhen(true)] out string? value);
}
