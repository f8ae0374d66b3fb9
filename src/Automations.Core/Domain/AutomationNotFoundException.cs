namespace Automations.Core.Domain;

/// <summary>The object asked for does not exist (or the actor may not know that it does).</summary>
public sealed class AutomationNotFoundException : AutomationsException
{
    /// <summary>Creates the exception.</summary>
    public AutomationNotFoundException()
        : base("The object was not found.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AutomationNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AutomationNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
