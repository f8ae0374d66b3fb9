namespace Automations.Core.Domain;

/// <summary>A write conflicts with an existing object (for example a duplicate name in the same scope).</summary>
public sealed class AutomationConflictException : AutomationsException
{
    /// <summary>Creates the exception.</summary>
    public AutomationConflictException()
        : base("The write conflicts with an existing object.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AutomationConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AutomationConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
