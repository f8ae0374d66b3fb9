namespace Automations.Core.Templates;

/// <summary>
/// Where secret values come from (a team's secret store). <see cref="PayloadTemplate.FetchSecretsAsync"/> asks it
/// only for the secrets a template references.
/// </summary>
public interface ITemplateSecretSource
{
    /// <summary>Gets a secret's value.</summary>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The value, or <see langword="null"/> when there is no such secret.</returns>
    ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken);
}
