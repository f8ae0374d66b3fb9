namespace Automations.Core.Domain;

/// <summary>
/// The actor lacks a permission. The message names the missing permission but never reveals whether the object
/// exists.
/// </summary>
public sealed class AutomationAccessDeniedException : AutomationsException
{
    /// <summary>Creates the exception.</summary>
    public AutomationAccessDeniedException()
        : base("Access denied.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AutomationAccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AutomationAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The permission that was missing, when known.</summary>
    public string? Permission { get; init; }
}
