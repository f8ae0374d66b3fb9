using Automations.Core.Domain;

namespace Automations.Core.Secrets;

/// <summary>
/// Options for team secrets: the key ring that encrypts them at rest (bindable from configuration) and the default
/// rotation grace period. Validated at start-up.
/// </summary>
/// <example>
/// <code>
/// services.AddAutomations().ConfigureSecrets(o =>
/// {
///     o.CurrentKeyId = "2026-02";
///     o.Keys["2026-01"] = configuration["Secrets:Keys:2026-01"]!; // base64 of 32 bytes
///     o.Keys["2026-02"] = configuration["Secrets:Keys:2026-02"]!;
///     o.RotationGracePeriod = TimeSpan.FromHours(24);
/// });
/// </code>
/// </example>
public sealed class SecretOptions
{
    /// <summary>The longest rotation grace period accepted: 30 days.</summary>
    public static readonly TimeSpan MaxRotationGracePeriod = TimeSpan.FromDays(30);

    /// <summary>
    /// The id of the key that encrypts new values (required when <see cref="Keys"/> is not empty). When no key is
    /// configured, an ephemeral in-process key is used, and only with the in-memory secret store.
    /// </summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>The AES-256 keys by key id, each base64 of 32 random bytes (<see cref="SecretKeyRing.GenerateKey"/>).</summary>
    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// How long a replaced signing secret's previous value keeps signing deliveries (next to the new one, in the
    /// Standard Webhooks multi-signature header) when the caller does not say; zero (the default) replaces at once.
    /// At most <see cref="MaxRotationGracePeriod"/>.
    /// </summary>
    public TimeSpan RotationGracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>Describes the options by key ids only.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
        => $"SecretOptions {{ CurrentKeyId = {CurrentKeyId}, Keys = [{string.Join(", ", Keys.Keys.Order(StringComparer.Ordinal))}], RotationGracePeriod = {RotationGracePeriod} }}";

    /// <summary>The configured key ring, or null when no key is configured.</summary>
    internal SecretKeyRing? BuildKeyRing()
        => Keys.Count == 0 && string.IsNullOrEmpty(CurrentKeyId) ? null : SecretKeyRing.FromBase64(CurrentKeyId ?? string.Empty, Keys);

    /// <summary>Adds every problem of the options to <paramref name="problems"/>.</summary>
    internal void Validate(ValidationProblemCollector problems)
    {
        if (RotationGracePeriod < TimeSpan.Zero || RotationGracePeriod > MaxRotationGracePeriod)
        {
            problems.Add(nameof(RotationGracePeriod), $"Must be between zero and {MaxRotationGracePeriod.TotalDays} days.");
        }

        try
        {
            BuildKeyRing();
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange(string.Empty, ex.Problems);
        }
    }
}
