namespace Automations.Core.Domain.Secrets;

/// <summary>What kind of object uses a secret.</summary>
public enum SecretUsageKind
{
    /// <summary>A webhook integration (as its signing secret or access token).</summary>
    Integration = 0,

    /// <summary>An automation (as <c>${NAME}</c> in its payload template or notification text).</summary>
    Automation = 1,
}

/// <summary>One object that uses a secret.</summary>
/// <param name="Kind">Integration or automation.</param>
/// <param name="Id">The object's id.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Field">Where the secret is used: <c>signingSecretName</c>, <c>accessTokenSecretName</c>, <c>payloadTemplate</c> or <c>message</c>.</param>
public sealed record SecretUsage(SecretUsageKind Kind, string Id, string Name, string Field)
{
    /// <summary>Describes the usage.</summary>
    /// <returns>For example <c>integration 'ci hook' (signingSecretName)</c>.</returns>
    public override string ToString() => $"{(Kind == SecretUsageKind.Integration ? "integration" : "automation")} '{Name}' ({Field})";
}
