using System.Text.RegularExpressions;

namespace Automations.Core.Domain;

/// <summary>The naming rules W&amp;B applies to entities, projects, registries, collections, aliases and tags.</summary>
internal static partial class Names
{
    public const int MaxNameLength = 128;

    // Entities, projects, registries, collections: letters, digits, '-', '_', '.'.
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleName();

    /// <summary>Checks an entity, project, registry or collection name; adds a problem when it is invalid.</summary>
    public static bool Check(ValidationProblemCollector problems, string path, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(path, $"{what} is required.");
            return false;
        }

        if (value.Length > MaxNameLength)
        {
            problems.Add(path, $"{what} must be at most {MaxNameLength} characters (got {value.Length}).");
            return false;
        }

        if (!SimpleName().IsMatch(value))
        {
            problems.Add(path, $"{what} may contain only letters, digits, '-', '_' and '.'.");
            return false;
        }

        return true;
    }

    /// <summary>Checks an alias or tag: non-empty, at most 128 characters, no '/', ':' or control characters.</summary>
    public static bool CheckLabel(ValidationProblemCollector problems, string path, string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(path, $"{what} must not be empty.");
            return false;
        }

        if (value.Length > MaxNameLength)
        {
            problems.Add(path, $"{what} must be at most {MaxNameLength} characters (got {value.Length}).");
            return false;
        }

        foreach (var c in value)
        {
            if (c is '/' or ':' || char.IsControl(c))
            {
                problems.Add(path, $"{what} must not contain '/', ':' or control characters.");
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a free-text required value (user name, event id).</summary>
    public static bool CheckText(ValidationProblemCollector problems, string path, string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(path, $"{what} is required.");
            return false;
        }

        if (value.Length > maxLength)
        {
            problems.Add(path, $"{what} must be at most {maxLength} characters (got {value.Length}).");
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                problems.Add(path, $"{what} must not contain control characters.");
                return false;
            }
        }

        return true;
    }
}
