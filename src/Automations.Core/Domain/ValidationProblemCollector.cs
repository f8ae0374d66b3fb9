namespace Automations.Core.Domain;

/// <summary>
/// Collects validation problems while walking an input, so every problem can be reported at once.
/// </summary>
public sealed class ValidationProblemCollector
{
    // Created on the first problem: valid input, the usual case, allocates nothing but the collector.
    private List<ValidationProblem>? _problems;

    /// <summary>The problems collected so far.</summary>
    public IReadOnlyList<ValidationProblem> Problems => _problems ?? (IReadOnlyList<ValidationProblem>)[];

    /// <summary>Whether no problem has been collected.</summary>
    public bool IsValid => _problems is null;

    /// <summary>Adds a problem.</summary>
    /// <param name="path">Path of the offending value.</param>
    /// <param name="message">What is wrong with it.</param>
    public void Add(string path, string message) => (_problems ??= []).Add(new ValidationProblem(path, message));

    /// <summary>Adds problems found by another validation, prefixing their paths.</summary>
    /// <param name="prefix">Path prefix (for example <c>trigger</c>); empty for none.</param>
    /// <param name="problems">The problems to add.</param>
    public void AddRange(string prefix, IEnumerable<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var p in problems)
        {
            (_problems ??= []).Add(new ValidationProblem(Combine(prefix, p.Path), p.Message));
        }
    }

    /// <summary>Throws <see cref="AutomationValidationException"/> when any problem was collected.</summary>
    /// <exception cref="AutomationValidationException">At least one problem was collected.</exception>
    public void ThrowIfInvalid()
    {
        if (_problems is not null)
        {
            throw new AutomationValidationException(_problems);
        }
    }

    /// <summary>Joins two path segments with a dot, leaving out empty ones; an indexer segment (<c>[0]</c>) joins without a dot.</summary>
    /// <param name="prefix">The outer path.</param>
    /// <param name="path">The inner path.</param>
    /// <returns>The combined path.</returns>
    public static string Combine(string prefix, string path)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return path ?? string.Empty;
        }

        if (string.IsNullOrEmpty(path))
        {
            return prefix;
        }

        return path[0] == '[' ? prefix + path : prefix + "." + path;
    }
}
