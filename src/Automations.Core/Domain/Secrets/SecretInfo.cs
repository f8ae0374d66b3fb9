namespace Automations.Core.Domain.Secrets;

/// <summary>
/// What the management API shows about a team secret: never its value, nor its ciphertext.
/// </summary>
/// <param name="Id">The secret's id.</param>
/// <param name="Entity">The owning team.</param>
/// <param name="Name">The name (used as <c>${NAME}</c> in templates and by integrations).</param>
/// <param name="KeyId">The id of the encryption key its value is stored under (to follow key rotation).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="PreviousValueExpiresAt">Until when the previous value still signs deliveries, or null when none does.</param>
public sealed record SecretInfo(
    string Id,
    string Entity,
    string Name,
    string KeyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PreviousValueExpiresAt)
{
    /// <summary>The list view of a record at a given time (an expired previous value is not shown).</summary>
    internal static SecretInfo From(SecretRecord record, DateTimeOffset now) => new(
        record.Id,
        record.Entity,
        record.Name,
        record.Value.KeyId,
        record.CreatedAt,
        record.UpdatedAt,
        record.HasPreviousValueAt(now) ? record.PreviousValueExpiresAt : null);
}
