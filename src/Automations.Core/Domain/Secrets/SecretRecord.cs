namespace Automations.Core.Domain.Secrets;

/// <summary>
/// A team secret as an <see cref="Abstractions.ISecretStore"/> keeps it: id, team, name, the encrypted current
/// value, timestamps, and during a rotation grace period the encrypted previous value with its expiry. Never holds
/// a plaintext value. Immutable and validated.
/// </summary>
public sealed class SecretRecord
{
    /// <summary>The longest secret name accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Creates and validates a record.</summary>
    /// <param name="id">The id: 1 to 128 characters, no whitespace or control characters.</param>
    /// <param name="entity">The owning team (W&amp;B entity name rules).</param>
    /// <param name="name">The secret name: 1 to 128 ASCII letters, digits and <c>_</c>.</param>
    /// <param name="value">The encrypted current value.</param>
    /// <param name="createdAt">When the secret was created.</param>
    /// <param name="updatedAt">When it last changed (not before <paramref name="createdAt"/>).</param>
    /// <param name="previousValue">The encrypted previous value still accepted for signing, or null.</param>
    /// <param name="previousValueExpiresAt">Until when the previous value signs; given exactly when <paramref name="previousValue"/> is.</param>
    /// <param name="version">The version: 1 when created, one more on every change (optimistic concurrency).</param>
    /// <exception cref="AutomationValidationException">Any field is invalid (every problem listed).</exception>
    public SecretRecord(
        string id,
        string entity,
        string name,
        SecretCiphertext value,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        SecretCiphertext? previousValue = null,
        DateTimeOffset? previousValueExpiresAt = null,
        long version = 1)
    {
        var problems = new ValidationProblemCollector();
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add("id", $"A secret id is 1 to {MaxIdLength} characters without whitespace or control characters.");
        }

        Names.Check(problems, "entity", entity, "Entity name");
        CheckName(problems, "name", name);
        if (value is null)
        {
            problems.Add("value", "The encrypted value is required.");
        }

        if (updatedAt < createdAt)
        {
            problems.Add("updatedAt", "The update time must not be before the creation time.");
        }

        if ((previousValue is null) != (previousValueExpiresAt is null))
        {
            problems.Add("previousValueExpiresAt", "A previous value and its expiry are given together or not at all.");
        }

        if (version < 1)
        {
            problems.Add("version", "The version starts at 1.");
        }

        problems.ThrowIfInvalid();
        Version = version;
        Id = id;
        Entity = entity;
        Name = name;
        Value = value!;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        PreviousValue = previousValue;
        PreviousValueExpiresAt = previousValueExpiresAt;
    }

    /// <summary>
    /// The version: 1 when created, one more for every change. A store applies an update only over the version
    /// before it, so concurrent changes cannot silently overwrite each other.
    /// </summary>
    public long Version { get; }

    /// <summary>The id (stable across renames and value replacements; bound into the ciphertext).</summary>
    public string Id { get; }

    /// <summary>The owning team (bound into the ciphertext).</summary>
    public string Entity { get; }

    /// <summary>The name, unique in the team; templates use it as <c>${NAME}</c>.</summary>
    public string Name { get; }

    /// <summary>The encrypted current value.</summary>
    public SecretCiphertext Value { get; }

    /// <summary>When the secret was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the secret last changed.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>The encrypted previous value, kept for signing during a rotation grace period, or null.</summary>
    public SecretCiphertext? PreviousValue { get; }

    /// <summary>Until when <see cref="PreviousValue"/> still signs, or null.</summary>
    public DateTimeOffset? PreviousValueExpiresAt { get; }

    /// <summary>Whether the previous value still signs at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>True inside the grace period.</returns>
    public bool HasPreviousValueAt(DateTimeOffset now) => PreviousValue is not null && PreviousValueExpiresAt > now;

    /// <summary>The record with another name (and the next version).</summary>
    /// <param name="name">The new name.</param>
    /// <param name="updatedAt">The change time.</param>
    /// <returns>The new record.</returns>
    /// <exception cref="AutomationValidationException">The name is invalid.</exception>
    public SecretRecord WithName(string name, DateTimeOffset updatedAt)
        => new(Id, Entity, name, Value, CreatedAt, updatedAt, PreviousValue, PreviousValueExpiresAt, Version + 1);

    /// <summary>The record with another encrypted value (and optionally a previous value kept for a grace period), and the next version.</summary>
    /// <param name="value">The new encrypted value.</param>
    /// <param name="updatedAt">The change time.</param>
    /// <param name="previousValue">The encrypted previous value still accepted for signing, or null.</param>
    /// <param name="previousValueExpiresAt">Its expiry, or null.</param>
    /// <returns>The new record.</returns>
    /// <exception cref="AutomationValidationException">The values are inconsistent.</exception>
    public SecretRecord WithValue(SecretCiphertext value, DateTimeOffset updatedAt, SecretCiphertext? previousValue = null, DateTimeOffset? previousValueExpiresAt = null)
        => new(Id, Entity, Name, value, CreatedAt, updatedAt, previousValue, previousValueExpiresAt, Version + 1);

    /// <summary>Describes the record without any ciphertext bytes.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
        => $"SecretRecord {{ Id = {Id}, Entity = {Entity}, Name = {Name}, Version = {Version}, KeyId = {Value.KeyId}, UpdatedAt = {UpdatedAt:O}"
           + (PreviousValueExpiresAt is { } until ? $", PreviousValueUntil = {until:O} }}" : " }");

    /// <summary>Checks a secret name: 1 to 128 ASCII letters, digits and '_'.</summary>
    internal static bool CheckName(ValidationProblemCollector problems, string path, string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            problems.Add(path, $"A secret name is 1 to {MaxNameLength} ASCII letters, digits and '_'.");
            return false;
        }

        return true;
    }
}
