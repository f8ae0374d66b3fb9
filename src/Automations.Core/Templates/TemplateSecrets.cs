using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Automations.Core.Domain;

namespace Automations.Core.Templates;

/// <summary>
/// An immutable set of secret values for rendering, keyed by secret name (ordinal). Its <see cref="ToString"/>
/// lists names only; values are never exposed except through <see cref="TryGetSecret"/>.
/// </summary>
public sealed class TemplateSecrets : ITemplateSecretLookup
{
    private readonly FrozenDictionary<string, string> _values;

    private TemplateSecrets(FrozenDictionary<string, string> values)
    {
        _values = values;
        Names = Array.AsReadOnly(values.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>No secrets.</summary>
    public static TemplateSecrets Empty { get; } = new(FrozenDictionary<string, string>.Empty);

    /// <summary>The secret names held, in ordinal order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>How many secrets are held.</summary>
    public int Count => _values.Count;

    /// <summary>Creates the set from name/value pairs.</summary>
    /// <param name="secrets">The secrets; names must be valid secret names (letters, digits, <c>_</c>) and unique.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> or a value is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">A name is invalid or appears twice (messages name the secret, never its value).</exception>
    public static TemplateSecrets Create(IEnumerable<KeyValuePair<string, string>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var problems = new ValidationProblemCollector();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (name, value) in secrets)
        {
            var path = $"secrets[{index++}]";
            if (value is null)
            {
                throw new ArgumentNullException(nameof(secrets), $"The value of secret '{name}' is null.");
            }

            if (!TemplateVariables.IsValidSecretName(name))
            {
                problems.Add(path, $"'{name}' is not a valid secret name: use ASCII letters, digits and '_' only.");
            }
            else if (!values.TryAdd(name, value))
            {
                problems.Add(path, $"secret '{name}' is given more than once.");
            }
        }

        problems.ThrowIfInvalid();
        return values.Count == 0 ? Empty : new TemplateSecrets(values.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public bool TryGetSecret(string name, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out value);
    }

    /// <summary>Lists the secret names; never the values.</summary>
    /// <returns>For example <c>TemplateSecrets [GITHUB_TOKEN] (values hidden)</c>.</returns>
    public override string ToString() => $"TemplateSecrets [{string.Join(", ", Names)}] (values hidden)";
}
