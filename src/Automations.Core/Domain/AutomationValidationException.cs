using System.Collections.ObjectModel;

namespace Automations.Core.Domain;

/// <summary>
/// The one error type the library uses for invalid input: carries every problem found, each with its path,
/// so callers can show all of them at once.
/// </summary>
public sealed class AutomationValidationException : AutomationsException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">At least one problem.</param>
    public AutomationValidationException(IEnumerable<ValidationProblem> problems)
        : this(problems is null ? throw new ArgumentNullException(nameof(problems)) : problems.ToArray())
    {
    }

    /// <summary>Creates the exception for a single problem.</summary>
    /// <param name="path">Path of the offending value.</param>
    /// <param name="message">What is wrong with it.</param>
    public AutomationValidationException(string path, string message)
        : this([new ValidationProblem(path, message)])
    {
    }

    /// <summary>Creates the exception with no problems listed (prefer the other constructors).</summary>
    public AutomationValidationException()
        : this(Array.Empty<ValidationProblem>())
    {
    }

    /// <summary>Creates the exception with a free-form message (prefer the other constructors).</summary>
    /// <param name="message">The message.</param>
    public AutomationValidationException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause (prefer the other constructors).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AutomationValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = new ReadOnlyCollection<ValidationProblem>([new ValidationProblem(string.Empty, message)]);
    }

    private AutomationValidationException(ValidationProblem[] problems)
        : base(BuildMessage(problems))
    {
        Problems = new ReadOnlyCollection<ValidationProblem>(problems);
    }

    /// <summary>Every problem found, in the order they were found.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    private static string BuildMessage(ValidationProblem[] problems) => problems.Length switch
    {
        0 => "The input is invalid.",
        1 => "The input is invalid: " + problems[0],
        _ => $"The input is invalid ({problems.Length} problems):" + Environment.NewLine
             + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)),
    };
}
