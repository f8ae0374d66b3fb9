namespace Automations.Core.Domain;

/// <summary>
/// A stored secret value cannot be decrypted: its key id is not in the key ring, or its ciphertext does not
/// authenticate (it was altered, or copied from another secret or team). A delivery that needs the secret fails
/// with this message; nothing crashes. The message never contains key material or the value.
/// </summary>
public sealed class SecretDecryptionException : AutomationsException
{
    /// <summary>Creates the exception.</summary>
    public SecretDecryptionException()
        : base("A secret value cannot be decrypted.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message (no secret values).</param>
    public SecretDecryptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message (no secret values).</param>
    /// <param name="innerException">The cause.</param>
    public SecretDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
