using System.Collections.ObjectModel;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Domain;

/// <summary>
/// A secret cannot be deleted or renamed because integrations or automation templates still use it; every user
/// is listed in <see cref="Usages"/> and in the message. Repeat the call with <c>force: true</c> to go ahead
/// (those deliveries then fail with a clear reason).
/// </summary>
public sealed class SecretInUseException : AutomationsException
{
    /// <summary>Creates the exception.</summary>
    public SecretInUseException()
        : base("The secret is in use.")
    {
        Usages = ReadOnlyCollection<SecretUsage>.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SecretInUseException(string message)
        : base(message)
    {
        Usages = ReadOnlyCollection<SecretUsage>.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SecretInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Usages = ReadOnlyCollection<SecretUsage>.Empty;
    }

    /// <summary>Creates the exception for a secret and its users.</summary>
    /// <param name="secretName">The secret's name.</param>
    /// <param name="usages">Who uses it.</param>
    public SecretInUseException(string secretName, IEnumerable<SecretUsage> usages)
        : this(Array.AsReadOnly((usages ?? throw new ArgumentNullException(nameof(usages))).ToArray()), secretName)
    {
    }

    private SecretInUseException(ReadOnlyCollection<SecretUsage> usages, string secretName)
        : base(BuildMessage(secretName, usages))
    {
        Usages = usages;
    }

    /// <summary>The integrations and automations that use the secret.</summary>
    public IReadOnlyList<SecretUsage> Usages { get; }

    private static string BuildMessage(string secretName, ReadOnlyCollection<SecretUsage> usages)
        => $"Secret '{secretName}' is used by {usages.Count} object(s): {string.Join("; ", usages.Select(u => u.ToString()))}. "
           + "Change them first, or force the operation (their deliveries will then fail).";
}
