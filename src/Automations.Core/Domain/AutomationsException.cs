namespace Automations.Core.Domain;

/// <summary>Base type of every exception the library throws on purpose.</summary>
public class AutomationsException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public AutomationsException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message; never contains secret values.</param>
    public AutomationsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message; never contains secret values.</param>
    /// <param name="innerException">The cause.</param>
    public AutomationsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
