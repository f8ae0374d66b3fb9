using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Integrations;
using Automations.Core.Http;
using Microsoft.Extensions.Options;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Engine;

/// <summary>
/// Team webhook integrations (admin-only in W&amp;B): create, update, enable/disable, get, list and delete. URLs
/// pass the SSRF policy when saved; referenced secrets must exist in the team.
/// </summary>
public sealed class WebhookIntegrationManager
{
    private readonly IIntegrationStore _integrations;
    private readonly IAutomationStore _automations;
    private readonly IAutomationAuthorizer _authorizer;
    private readonly ISecretResolver _secrets;
    private readonly EndpointPolicy _policy;
    private readonly TimeProvider _time;

    /// <summary>Creates the manager.</summary>
    /// <param name="integrations">The integration store.</param>
    /// <param name="automations">The automation store (to refuse deleting an integration still in use).</param>
    /// <param name="authorizer">The authorization seam.</param>
    /// <param name="secrets">Team secrets (to check that referenced secrets exist).</param>
    /// <param name="dispatcherOptions">The dispatcher options, whose endpoint policy URLs must pass.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public WebhookIntegrationManager(
        IIntegrationStore integrations,
        IAutomationStore automations,
        IAutomationAuthorizer authorizer,
        ISecretResolver secrets,
        IOptions<WebhookDispatcherOptions> dispatcherOptions,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        ArgumentNullException.ThrowIfNull(automations);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(dispatcherOptions);
        _integrations = integrations;
        _automations = automations;
        _authorizer = authorizer;
        _secrets = secrets;
        _policy = new EndpointPolicy(dispatcherOptions.Value.EndpointPolicy);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates an integration.</summary>
    /// <param name="actor">Who is acting (needs <see cref="AutomationPermission.ManageIntegrations"/>).</param>
    /// <param name="definition">The integration.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved integration, with a new id.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's integrations.</exception>
    /// <exception cref="AutomationValidationException">The definition is invalid (every problem listed).</exception>
    /// <exception cref="AutomationConflictException">The team has an integration with the name.</exception>
    public async Task<WebhookIntegration> CreateAsync(AutomationActor actor, WebhookIntegrationDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        await _authorizer.DemandAsync(actor, AutomationPermission.ManageIntegrations, definition.Entity, cancellationToken).ConfigureAwait(false);
        var integration = await BuildAsync(IdGenerator.NewPrefixedVersion7("whk_", _time.GetUtcNow()), definition, true, null, cancellationToken).ConfigureAwait(false);
        Throw(await _integrations.AddAsync(integration, cancellationToken).ConfigureAwait(false), integration);
        return integration;
    }

    /// <summary>Replaces an integration's settings (its enabled state is kept).</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="definition">The new settings (same team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated integration.</returns>
    /// <exception cref="AutomationNotFoundException">No such integration.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's integrations.</exception>
    /// <exception cref="AutomationValidationException">The definition is invalid.</exception>
    /// <exception cref="AutomationConflictException">The team has another integration with the name.</exception>
    public async Task<WebhookIntegration> UpdateAsync(AutomationActor actor, string id, WebhookIntegrationDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var existing = await GetAuthorizedAsync(actor, id, AutomationPermission.ManageIntegrations, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(existing.EntityName, definition.Entity, StringComparison.Ordinal))
        {
            throw new AutomationValidationException("entity", "An integration cannot move to another team.");
        }

        var updated = await BuildAsync(existing.Id, definition, existing.IsEnabled, existing.DisabledReason, cancellationToken).ConfigureAwait(false);
        Throw(await _integrations.UpdateAsync(updated, cancellationToken).ConfigureAwait(false), updated);
        return updated;
    }

    /// <summary>Enables an integration, or disables it with a reason.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="enabled">Whether deliveries may use it.</param>
    /// <param name="reason">Why it is disabled (required when disabling).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated integration.</returns>
    /// <exception cref="AutomationNotFoundException">No such integration.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's integrations.</exception>
    public async Task<WebhookIntegration> SetEnabledAsync(AutomationActor actor, string id, bool enabled, string? reason = null, CancellationToken cancellationToken = default)
    {
        var existing = await GetAuthorizedAsync(actor, id, AutomationPermission.ManageIntegrations, cancellationToken).ConfigureAwait(false);
        var updated = enabled ? existing.Enable() : existing.Disable(string.IsNullOrWhiteSpace(reason) ? $"Disabled by {actor.UserName}." : reason);
        Throw(await _integrations.UpdateAsync(updated, cancellationToken).ConfigureAwait(false), updated);
        return updated;
    }

    /// <summary>Gets an integration (never any secret value: only the secrets' names).</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The integration.</returns>
    /// <exception cref="AutomationNotFoundException">No such integration.</exception>
    public Task<WebhookIntegration> GetAsync(AutomationActor actor, string id, CancellationToken cancellationToken = default)
        => GetAuthorizedAsync(actor, id, AutomationPermission.ViewAutomations, cancellationToken);

    /// <summary>Lists a team's integrations, ordered by name.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The integrations.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not view the team.</exception>
    public async Task<IReadOnlyList<WebhookIntegration>> ListAsync(AutomationActor actor, string entity, CancellationToken cancellationToken = default)
    {
        await _authorizer.DemandAsync(actor, AutomationPermission.ViewAutomations, entity, cancellationToken).ConfigureAwait(false);
        return await _integrations.ListAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an integration that no automation uses.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    /// <exception cref="AutomationNotFoundException">No such integration.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's integrations.</exception>
    /// <exception cref="AutomationConflictException">Automations still use it (they are named).</exception>
    public async Task DeleteAsync(AutomationActor actor, string id, CancellationToken cancellationToken = default)
    {
        var existing = await GetAuthorizedAsync(actor, id, AutomationPermission.ManageIntegrations, cancellationToken).ConfigureAwait(false);
        var users = new List<string>();
        string? token = null;
        do
        {
            var page = await _automations.ListAsync(existing.EntityName, new PageRequest(PageRequest.MaxPageSize, token), cancellationToken).ConfigureAwait(false);
            users.AddRange(page.Items.Where(a => UsesIntegration(a.Action, id)).Select(a => a.Name));
            token = page.NextPageToken;
        }
        while (token is not null);

        if (users.Count > 0)
        {
            throw new AutomationConflictException($"Integration '{existing.Name}' is used by {users.Count} automation(s): {string.Join(", ", users)}.");
        }

        await _integrations.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
    }

    internal static bool UsesIntegration(AutomationAction action, string integrationId) => action switch
    {
        WebhookAction w => string.Equals(w.IntegrationId, integrationId, StringComparison.Ordinal),
        NotificationAction n => string.Equals(n.IntegrationId, integrationId, StringComparison.Ordinal),
        _ => false,
    };

    private static AutomationNotFoundException NotFound() => new("The integration was not found.");

    private static void Throw(StoreWriteResult result, WebhookIntegration integration)
    {
        switch (result)
        {
            case StoreWriteResult.Applied:
                return;
            case StoreWriteResult.NameConflict:
                throw new AutomationConflictException($"Team '{integration.EntityName}' already has an integration named '{integration.Name}'.");
            case StoreWriteResult.NotFound:
                throw new AutomationNotFoundException("The integration was not found.");
            default:
                throw new AutomationConflictException($"An integration with id '{integration.Id}' already exists.");
        }
    }

    private async Task<WebhookIntegration> BuildAsync(string id, WebhookIntegrationDefinition d, bool enabled, string? reason, CancellationToken cancellationToken)
    {
        var problems = new ValidationProblemCollector();
        WebhookIntegration? integration = null;
        try
        {
            integration = WebhookIntegration.Create(id, d.Entity, d.Name, d.Url, d.SigningSecretName, d.AccessTokenSecretName, d.SigningScheme, enabled, reason, _policy);
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange(string.Empty, ex.Problems);
        }

        foreach (var (path, name) in new[] { ("signingSecretName", d.SigningSecretName), ("accessTokenSecretName", d.AccessTokenSecretName) })
        {
            if (!string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(d.Entity)
                && !await _secrets.SecretExistsAsync(d.Entity, name, cancellationToken).ConfigureAwait(false))
            {
                problems.Add(path, $"Team '{d.Entity}' has no secret named '{name}'.");
            }
        }

        problems.ThrowIfInvalid();
        return integration!;
    }

    private async Task<WebhookIntegration> GetAuthorizedAsync(AutomationActor actor, string id, AutomationPermission permission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var integration = string.IsNullOrEmpty(id) ? null : await _integrations.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (integration is null)
        {
            throw NotFound();
        }

        await _authorizer.DemandOnExistingAsync(actor, permission, integration.EntityName, NotFound, cancellationToken).ConfigureAwait(false);
        return integration;
    }
}
