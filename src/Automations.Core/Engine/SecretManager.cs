using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Secrets;
using Automations.Core.Engine.Handlers;
using Automations.Core.Secrets;
using Automations.Core.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Automations.Core.Engine;

/// <summary>
/// Team secrets, admin-only (<see cref="AutomationPermission.ManageSecrets"/> on the team for every operation):
/// create, replace the value (optionally keeping the previous value signing for a grace period), rename, delete,
/// list names, find usages, re-protect under the current key. A value goes in and never comes out: it is
/// encrypted by the <see cref="ISecretProtector"/> before the <see cref="ISecretStore"/> sees it, and no method
/// returns, logs or puts it in an exception. Only the engine reads values, at delivery time.
/// </summary>
/// <example>
/// <code>
/// await secrets.CreateAsync(admin, "acme", "GITHUB_TOKEN", token);
/// await secrets.ReplaceValueAsync(admin, "acme", "HOOK_SECRET", newSecret, keepPreviousFor: TimeSpan.FromHours(24));
/// var names = (await secrets.ListAsync(admin, "acme")).Select(s => s.Name);
/// </code>
/// </example>
public sealed partial class SecretManager
{
    /// <summary>The longest secret value accepted, in characters.</summary>
    public const int MaxValueLength = 16 * 1024;

    private readonly ISecretStore _secrets;
    private readonly ISecretProtector _protector;
    private readonly IIntegrationStore _integrations;
    private readonly IAutomationStore _automations;
    private readonly IAutomationAuthorizer _authorizer;
    private readonly SecretOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the manager.</summary>
    /// <param name="secrets">The secret store (ciphertext only).</param>
    /// <param name="protector">Encrypts values before they are stored.</param>
    /// <param name="integrations">The integration store (to find integrations using a secret).</param>
    /// <param name="automations">The automation store (to find templates using a secret).</param>
    /// <param name="authorizer">The authorization seam.</param>
    /// <param name="options">The secret options (default grace period); defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Audit log of changes (names, teams and users; never values); none when null.</param>
    public SecretManager(
        ISecretStore secrets,
        ISecretProtector protector,
        IIntegrationStore integrations,
        IAutomationStore automations,
        IAutomationAuthorizer authorizer,
        IOptions<SecretOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SecretManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(integrations);
        ArgumentNullException.ThrowIfNull(automations);
        ArgumentNullException.ThrowIfNull(authorizer);
        _secrets = secrets;
        _protector = protector;
        _integrations = integrations;
        _automations = automations;
        _authorizer = authorizer;
        _options = options?.Value ?? new SecretOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Creates a team secret.</summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The name: 1 to 128 ASCII letters, digits and <c>_</c>, usable as <c>${NAME}</c> in templates.</param>
    /// <param name="value">The value: 1 to <see cref="MaxValueLength"/> characters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The secret's description (never its value).</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    /// <exception cref="AutomationValidationException">The team, name or value is invalid (every problem listed; the value is never repeated).</exception>
    /// <exception cref="AutomationConflictException">The team has a secret with the name.</exception>
    public async Task<SecretInfo> CreateAsync(AutomationActor actor, string entity, string name, string value, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        var problems = new ValidationProblemCollector();
        Names.Check(problems, "entity", entity, "Entity name");
        CheckName(problems, "name", name);
        CheckValue(problems, "value", value);
        problems.ThrowIfInvalid();

        var now = _time.GetUtcNow();
        var id = IdGenerator.NewPrefixedVersion7("sec_", now);
        var ciphertext = await _protector.ProtectAsync(value, new SecretProtectionContext(entity, id), cancellationToken).ConfigureAwait(false);
        var record = new SecretRecord(id, entity, name, ciphertext, now, now);
        ThrowOnConflict(await _secrets.AddAsync(record, cancellationToken).ConfigureAwait(false), record);
        LogCreated(_logger, name, entity, actor.UserName);
        return SecretInfo.From(record, now);
    }

    /// <summary>
    /// Replaces a secret's value. With a grace period (<paramref name="keepPreviousFor"/>, or
    /// <see cref="SecretOptions.RotationGracePeriod"/> when null), a signing secret's previous value keeps signing
    /// deliveries next to the new one until it expires (Standard Webhooks sends both signatures; W&amp;B's single
    /// header uses the new one). Templates and access tokens always use the new value.
    /// </summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="value">The new value.</param>
    /// <param name="keepPreviousFor">How long the previous value keeps signing; zero for not at all; null for the configured default.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The secret's description.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    /// <exception cref="AutomationValidationException">The value or grace period is invalid.</exception>
    /// <exception cref="AutomationNotFoundException">The team has no such secret.</exception>
    /// <exception cref="AutomationConflictException">The secret was changed by someone else meanwhile (nothing was written).</exception>
    public async Task<SecretInfo> ReplaceValueAsync(AutomationActor actor, string entity, string name, string value, TimeSpan? keepPreviousFor = null, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        var problems = new ValidationProblemCollector();
        CheckValue(problems, "value", value);
        var grace = keepPreviousFor ?? _options.RotationGracePeriod;
        if (grace < TimeSpan.Zero || grace > SecretOptions.MaxRotationGracePeriod)
        {
            problems.Add("keepPreviousFor", $"The grace period must be between zero and {SecretOptions.MaxRotationGracePeriod.TotalDays} days.");
        }

        problems.ThrowIfInvalid();
        var existing = await FindAsync(entity, name, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var ciphertext = await _protector.ProtectAsync(value, new SecretProtectionContext(existing.Entity, existing.Id), cancellationToken).ConfigureAwait(false);
        var updated = grace > TimeSpan.Zero
            ? existing.WithValue(ciphertext, now, existing.Value, now + grace)
            : existing.WithValue(ciphertext, now);
        ThrowOnConflict(await _secrets.UpdateAsync(updated, cancellationToken).ConfigureAwait(false), updated);
        if (grace > TimeSpan.Zero)
        {
            LogReplacedWithGrace(_logger, existing.Name, existing.Entity, actor.UserName, now + grace);
        }
        else
        {
            LogReplaced(_logger, existing.Name, existing.Entity, actor.UserName);
        }

        return SecretInfo.From(updated, now);
    }

    /// <summary>
    /// Renames a secret. Integrations and templates refer to secrets by name, so a secret in use is refused unless
    /// <paramref name="force"/> is set (their deliveries then fail until they are changed).
    /// </summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The current name.</param>
    /// <param name="newName">The new name.</param>
    /// <param name="force">Rename even when the secret is in use.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The secret's description.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    /// <exception cref="AutomationValidationException">The new name is invalid.</exception>
    /// <exception cref="AutomationNotFoundException">The team has no such secret.</exception>
    /// <exception cref="AutomationConflictException">The team has another secret with the new name, or the secret was changed meanwhile.</exception>
    /// <exception cref="SecretInUseException">The secret is in use and <paramref name="force"/> is false (users listed).</exception>
    public async Task<SecretInfo> RenameAsync(AutomationActor actor, string entity, string name, string newName, bool force = false, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        var problems = new ValidationProblemCollector();
        CheckName(problems, "newName", newName);
        problems.ThrowIfInvalid();
        var existing = await FindAsync(entity, name, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (string.Equals(existing.Name, newName, StringComparison.Ordinal))
        {
            return SecretInfo.From(existing, now);
        }

        var usages = await FindUsagesCoreAsync(existing.Entity, existing.Name, cancellationToken).ConfigureAwait(false);
        if (usages.Count > 0 && !force)
        {
            throw new SecretInUseException(existing.Name, usages);
        }

        var renamed = existing.WithName(newName, now);
        ThrowOnConflict(await _secrets.UpdateAsync(renamed, cancellationToken).ConfigureAwait(false), renamed);
        LogRenamed(_logger, existing.Name, newName, existing.Entity, actor.UserName, usages.Count);
        return SecretInfo.From(renamed, now);
    }

    /// <summary>
    /// Deletes a secret. A secret that integrations or automation templates still use is refused with the list of
    /// users, unless <paramref name="force"/> is set; their deliveries then fail with a reason naming the secret.
    /// </summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="force">Delete even when the secret is in use.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The users left without the secret (empty unless forced).</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    /// <exception cref="AutomationNotFoundException">The team has no such secret.</exception>
    /// <exception cref="SecretInUseException">The secret is in use and <paramref name="force"/> is false (users listed).</exception>
    public async Task<IReadOnlyList<SecretUsage>> DeleteAsync(AutomationActor actor, string entity, string name, bool force = false, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        var existing = await FindAsync(entity, name, cancellationToken).ConfigureAwait(false);
        var usages = await FindUsagesCoreAsync(existing.Entity, existing.Name, cancellationToken).ConfigureAwait(false);
        if (usages.Count > 0 && !force)
        {
            throw new SecretInUseException(existing.Name, usages);
        }

        if (!await _secrets.DeleteAsync(existing.Id, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(entity, name);
        }

        LogDeleted(_logger, existing.Name, existing.Entity, actor.UserName, usages.Count);
        return usages;
    }

    /// <summary>Describes one secret (never its value).</summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The description.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    /// <exception cref="AutomationNotFoundException">The team has no such secret.</exception>
    public async Task<SecretInfo> GetAsync(AutomationActor actor, string entity, string name, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        return SecretInfo.From(await FindAsync(entity, name, cancellationToken).ConfigureAwait(false), _time.GetUtcNow());
    }

    /// <summary>Lists a team's secrets by name (never values).</summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The descriptions, ordered by name.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    public async Task<IReadOnlyList<SecretInfo>> ListAsync(AutomationActor actor, string entity, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var records = await _secrets.ListAsync(entity, cancellationToken).ConfigureAwait(false);
        return [.. records.Where(r => string.Equals(r.Entity, entity, StringComparison.Ordinal)).Select(r => SecretInfo.From(r, now))];
    }

    /// <summary>
    /// Lists the integrations and automations of the team that refer to a secret name (whether or not the secret
    /// exists, so references left broken by a forced delete can be found).
    /// </summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="name">The secret name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The users.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    public async Task<IReadOnlyList<SecretUsage>> FindUsagesAsync(AutomationActor actor, string entity, string name, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(name);
        return await FindUsagesCoreAsync(entity, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Re-encrypts every value of the team stored under a key other than the protector's current one (after a key
    /// rotation), so the old key can later leave the key ring. Values that do not decrypt are left as they are and
    /// named in the result; a secret changed meanwhile is left to its new value (already under the current key).
    /// </summary>
    /// <param name="actor">Who is acting (a team admin).</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many secrets were re-encrypted, and which could not be.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's secrets.</exception>
    public async Task<SecretReprotectResult> ReprotectAsync(AutomationActor actor, string entity, CancellationToken cancellationToken = default)
    {
        await DemandAsync(actor, entity, cancellationToken).ConfigureAwait(false);
        var current = _protector.CurrentKeyId;
        var reprotected = 0;
        var failed = new List<string>();
        foreach (var record in await _secrets.ListAsync(entity, cancellationToken).ConfigureAwait(false))
        {
            var now = _time.GetUtcNow();
            var previousLive = record.HasPreviousValueAt(now);
            var stale = !string.Equals(record.Value.KeyId, current, StringComparison.Ordinal)
                        || (previousLive && !string.Equals(record.PreviousValue!.KeyId, current, StringComparison.Ordinal));
            if (!stale || !string.Equals(record.Entity, entity, StringComparison.Ordinal))
            {
                continue;
            }

            var context = new SecretProtectionContext(record.Entity, record.Id);
            try
            {
                var value = await ReprotectOneAsync(record.Value, context, current, cancellationToken).ConfigureAwait(false);
                var previous = previousLive ? await ReprotectOneAsync(record.PreviousValue!, context, current, cancellationToken).ConfigureAwait(false) : null;
                var updated = record.WithValue(value, record.UpdatedAt, previous, previous is null ? null : record.PreviousValueExpiresAt);
                if (await _secrets.UpdateAsync(updated, cancellationToken).ConfigureAwait(false) == StoreWriteResult.Applied)
                {
                    reprotected++;
                }
            }
            catch (SecretDecryptionException)
            {
                failed.Add(record.Name);
            }
        }

        LogReprotected(_logger, entity, actor.UserName, reprotected, current, failed.Count);
        return new SecretReprotectResult(reprotected, failed.AsReadOnly());
    }

    /// <summary>Describes the manager.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"{nameof(SecretManager)} ({_protector.GetType().Name}, current key {_protector.CurrentKeyId})";

    /// <summary>Whether a template text refers to the secret as <c>${NAME}</c>.</summary>
    internal static bool TemplateUses(string text, string name)
        => PayloadTemplate.TryParse(text, out var template, out _)
            ? template.SecretNames.Contains(name, StringComparer.Ordinal)
            : text.Contains("${" + name + "}", StringComparison.Ordinal);

    private static void CheckName(ValidationProblemCollector problems, string path, string? name)
    {
        if (!SecretRecord.CheckName(problems, path, name))
        {
            return;
        }

        if (TemplateVariables.IsVariable(name))
        {
            problems.Add(path, $"'{name}' is a template variable, so a template could not refer to a secret of that name.");
        }
        else if (!PayloadTemplate.TryParse("{\"k\": \"${" + name + "}\"}", out var probe, out var parseProblems) || !probe.SecretNames.Contains(name, StringComparer.Ordinal))
        {
            problems.Add(path, $"A template could not refer to '{name}' as a secret: {string.Join(" ", parseProblems.Select(p => p.Message))}");
        }
    }

    private static void CheckValue(ValidationProblemCollector problems, string path, string? value)
    {
        // Messages describe the rule only: the value is never repeated.
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(path, "A secret value must not be empty.");
        }
        else if (value.Length > MaxValueLength)
        {
            problems.Add(path, $"A secret value must be at most {MaxValueLength} characters.");
        }
    }

    private static AutomationNotFoundException NotFound(string entity, string name) => new($"Team '{entity}' has no secret named '{name}'.");

    private static void ThrowOnConflict(StoreWriteResult result, SecretRecord record)
    {
        switch (result)
        {
            case StoreWriteResult.Applied:
                return;
            case StoreWriteResult.NameConflict:
                throw new AutomationConflictException($"Team '{record.Entity}' already has a secret named '{record.Name}'.");
            case StoreWriteResult.NotFound:
                throw NotFound(record.Entity, record.Name);
            case StoreWriteResult.StaleVersion:
                throw new AutomationConflictException($"Secret '{record.Name}' of team '{record.Entity}' was changed by someone else meanwhile; read it again and retry.");
            default:
                throw new AutomationConflictException($"A secret with id '{record.Id}' already exists.");
        }
    }

    private async Task DemandAsync(AutomationActor actor, string entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await _authorizer.DemandAsync(actor, AutomationPermission.ManageSecrets, entity ?? string.Empty, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SecretRecord> FindAsync(string entity, string name, CancellationToken cancellationToken)
    {
        var record = string.IsNullOrEmpty(name) ? null : await _secrets.FindByNameAsync(entity, name, cancellationToken).ConfigureAwait(false);
        if (record is null || !string.Equals(record.Entity, entity, StringComparison.Ordinal))
        {
            throw NotFound(entity, name ?? string.Empty);
        }

        return record;
    }

    private async Task<List<SecretUsage>> FindUsagesCoreAsync(string entity, string name, CancellationToken cancellationToken)
    {
        var usages = new List<SecretUsage>();
        foreach (var integration in await _integrations.ListAsync(entity, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(integration.SigningSecretName, name, StringComparison.Ordinal))
            {
                usages.Add(new SecretUsage(SecretUsageKind.Integration, integration.Id, integration.Name, "signingSecretName"));
            }

            if (string.Equals(integration.AccessTokenSecretName, name, StringComparison.Ordinal))
            {
                usages.Add(new SecretUsage(SecretUsageKind.Integration, integration.Id, integration.Name, "accessTokenSecretName"));
            }
        }

        string? token = null;
        do
        {
            var page = await _automations.ListAsync(entity, new PageRequest(PageRequest.MaxPageSize, token), cancellationToken).ConfigureAwait(false);
            foreach (var automation in page.Items)
            {
                var (field, text) = automation.Action switch
                {
                    WebhookAction w => ("payloadTemplate", w.PayloadTemplate),
                    NotificationAction n => ("message", NotificationActionHandler.ToTemplate(n)),
                    _ => (null, null),
                };
                if (text is not null && TemplateUses(text, name))
                {
                    usages.Add(new SecretUsage(SecretUsageKind.Automation, automation.Id, automation.Name, field!));
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        return usages;
    }

    private async ValueTask<SecretCiphertext> ReprotectOneAsync(SecretCiphertext ciphertext, SecretProtectionContext context, string currentKeyId, CancellationToken cancellationToken)
    {
        if (string.Equals(ciphertext.KeyId, currentKeyId, StringComparison.Ordinal))
        {
            return ciphertext;
        }

        var value = await _protector.UnprotectAsync(ciphertext, context, cancellationToken).ConfigureAwait(false);
        return await _protector.ProtectAsync(value, context, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Secret {SecretName} created in team {Entity} by {UserName}")]
    private static partial void LogCreated(ILogger logger, string secretName, string entity, string userName);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Secret {SecretName} of team {Entity} got a new value from {UserName}")]
    private static partial void LogReplaced(ILogger logger, string secretName, string entity, string userName);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "Secret {SecretName} of team {Entity} got a new value from {UserName}; the previous value keeps signing until {PreviousUntil:u}")]
    private static partial void LogReplacedWithGrace(ILogger logger, string secretName, string entity, string userName, DateTimeOffset previousUntil);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "Secret {SecretName} of team {Entity} renamed to {NewName} by {UserName} ({UsageCount} users left referring to the old name)")]
    private static partial void LogRenamed(ILogger logger, string secretName, string newName, string entity, string userName, int usageCount);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information,
        Message = "Secret {SecretName} of team {Entity} deleted by {UserName} ({UsageCount} users left without it)")]
    private static partial void LogDeleted(ILogger logger, string secretName, string entity, string userName, int usageCount);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information,
        Message = "Secrets of team {Entity} re-protected by {UserName}: {Count} now under key {KeyId}, {FailedCount} could not be decrypted")]
    private static partial void LogReprotected(ILogger logger, string entity, string userName, int count, string keyId, int failedCount);
}

/// <summary>The outcome of <see cref="SecretManager.ReprotectAsync"/>.</summary>
/// <param name="Reprotected">How many secrets were re-encrypted under the current key.</param>
/// <param name="Undecryptable">The names of secrets whose values could not be decrypted (left unchanged).</param>
public sealed record SecretReprotectResult(int Reprotected, IReadOnlyList<string> Undecryptable);
