using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;

namespace Automations.Core.Engine;

/// <summary>
/// The management API a host exposes to its users (what W&amp;B's Automations UI does): create, update,
/// enable/disable, get, list and delete automations; read their deliveries and history; redeliver dead
/// deliveries. Every operation takes the acting user and checks the permission through
/// <see cref="IAutomationAuthorizer"/>. Saving validates everything and reports all problems at once; nothing is
/// half-saved.
/// </summary>
public sealed class AutomationManager
{
    private readonly IAutomationStore _automations;
    private readonly IDeliveryStore _deliveries;
    private readonly IExecutionHistoryStore _history;
    private readonly IAutomationAuthorizer _authorizer;
    private readonly Dictionary<string, IActionHandler> _handlers;
    private readonly TimeProvider _time;
    private readonly IIntegrationStore? _integrations;

    /// <summary>Creates the manager.</summary>
    /// <param name="automations">The automation store.</param>
    /// <param name="deliveries">The delivery store.</param>
    /// <param name="history">The execution history.</param>
    /// <param name="authorizer">The authorization seam.</param>
    /// <param name="handlers">The action handlers (each validates its kind's actions).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="integrations">
    /// The webhook integrations, so the list view names a webhook action by its integration's name (as W&amp;B
    /// does); when null the integration id is shown.
    /// </param>
    public AutomationManager(
        IAutomationStore automations,
        IDeliveryStore deliveries,
        IExecutionHistoryStore history,
        IAutomationAuthorizer authorizer,
        IEnumerable<IActionHandler> handlers,
        TimeProvider? timeProvider = null,
        IIntegrationStore? integrations = null)
    {
        ArgumentNullException.ThrowIfNull(automations);
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(handlers);
        _automations = automations;
        _deliveries = deliveries;
        _history = history;
        _authorizer = authorizer;
        _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        _time = timeProvider ?? TimeProvider.System;
        _integrations = integrations;
    }

    /// <summary>Creates an automation.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="definition">The automation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The saved automation, with a new id.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage automations of the team.</exception>
    /// <exception cref="AutomationValidationException">The definition is invalid (every problem listed).</exception>
    /// <exception cref="AutomationConflictException">Another automation in the scope has the name.</exception>
    public async Task<Automation> CreateAsync(AutomationActor actor, AutomationDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        await _authorizer.DemandOnScopeAsync(actor, AutomationPermission.ManageAutomations, definition.Trigger.Scope, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var automation = await BuildAsync(IdGenerator.NewPrefixedVersion7("aut_", now), definition, now, now, cancellationToken).ConfigureAwait(false);
        var result = await _automations.AddAsync(automation, cancellationToken).ConfigureAwait(false);
        ThrowOnConflict(result, automation);
        return automation;
    }

    /// <summary>Replaces an automation's definition. Deliveries already planned keep the old definition.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The automation id.</param>
    /// <param name="definition">The new definition (its scope's team must be the same).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated automation.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage automations of the team.</exception>
    /// <exception cref="AutomationValidationException">The definition is invalid.</exception>
    /// <exception cref="AutomationConflictException">Another automation in the scope has the name.</exception>
    public async Task<Automation> UpdateAsync(AutomationActor actor, string id, AutomationDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var existing = await GetAuthorizedAsync(actor, id, AutomationPermission.ManageAutomations, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(existing.Scope.Entity, definition.Trigger.Scope.Entity, StringComparison.Ordinal))
        {
            throw new AutomationValidationException("trigger.scope", "An automation cannot move to another team.");
        }

        await _authorizer.DemandOnScopeAsync(actor, AutomationPermission.ManageAutomations, definition.Trigger.Scope, cancellationToken).ConfigureAwait(false);

        var updated = await BuildAsync(existing.Id, definition, existing.CreatedAt, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var result = await _automations.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        ThrowOnConflict(result, updated);
        return updated;
    }

    /// <summary>Enables or disables an automation. Deliveries already planned are not affected.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The automation id.</param>
    /// <param name="enabled">Whether it fires.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The updated automation.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage automations of the team.</exception>
    public async Task<Automation> SetEnabledAsync(AutomationActor actor, string id, bool enabled, CancellationToken cancellationToken = default)
    {
        var existing = await GetAuthorizedAsync(actor, id, AutomationPermission.ManageAutomations, cancellationToken).ConfigureAwait(false);
        var updated = existing.WithEnabled(enabled, _time.GetUtcNow());
        ThrowOnConflict(await _automations.UpdateAsync(updated, cancellationToken).ConfigureAwait(false), updated);
        return updated;
    }

    /// <summary>Gets an automation.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The automation id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The automation.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not view the team's automations.</exception>
    public Task<Automation> GetAsync(AutomationActor actor, string id, CancellationToken cancellationToken = default)
        => GetAuthorizedAsync(actor, id, AutomationPermission.ViewAutomations, cancellationToken);

    /// <summary>Deletes an automation. Deliveries already planned or in progress still run (as in W&amp;B).</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="id">The automation id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage automations of the team.</exception>
    public async Task DeleteAsync(AutomationActor actor, string id, CancellationToken cancellationToken = default)
    {
        await GetAuthorizedAsync(actor, id, AutomationPermission.ManageAutomations, cancellationToken).ConfigureAwait(false);
        if (!await _automations.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound();
        }
    }

    /// <summary>Lists a team's automations as the Automations view shows them, ordered by name.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page of rows.</returns>
    /// <exception cref="AutomationAccessDeniedException">The actor may not view the team's automations.</exception>
    public async Task<Page<AutomationSummary>> ListAsync(AutomationActor actor, string entity, PageRequest page = default, CancellationToken cancellationToken = default)
    {
        await _authorizer.DemandAsync(actor, AutomationPermission.ViewAutomations, entity, cancellationToken).ConfigureAwait(false);
        var automations = await _automations.ListAsync(entity, page.PageSize == 0 ? PageRequest.First : page, cancellationToken).ConfigureAwait(false);
        var rows = new List<AutomationSummary>(automations.Items.Count);
        foreach (var a in automations.Items)
        {
            var latest = await _history.GetLatestAsync(a.Id, cancellationToken).ConfigureAwait(false);
            rows.Add(new AutomationSummary(
                a.Id,
                a.Name,
                a.Trigger.EventType.ToWireName(),
                a.Action.Kind,
                await ActionNameAsync(a, cancellationToken).ConfigureAwait(false),
                a.Action.Queue ?? string.Empty,
                a.Enabled,
                latest?.Status,
                latest?.At));
        }

        return new Page<AutomationSummary>(rows, automations.NextPageToken);
    }

    /// <summary>Lists an automation's execution history, newest first.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="automationId">The automation id.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page of rows.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not view the team's automations.</exception>
    public async Task<Page<ExecutionRecord>> GetHistoryAsync(AutomationActor actor, string automationId, PageRequest page = default, CancellationToken cancellationToken = default)
    {
        await GetAuthorizedAsync(actor, automationId, AutomationPermission.ViewAutomations, cancellationToken).ConfigureAwait(false);
        return await _history.ListByAutomationAsync(automationId, page.PageSize == 0 ? PageRequest.First : page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists an automation's deliveries, newest first, optionally only one status (e.g. dead).</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="automationId">The automation id.</param>
    /// <param name="status">Only this status, or null.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The page of deliveries.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not view the team's automations.</exception>
    public async Task<Page<Delivery>> ListDeliveriesAsync(AutomationActor actor, string automationId, DeliveryStatus? status = null, PageRequest page = default, CancellationToken cancellationToken = default)
    {
        await GetAuthorizedAsync(actor, automationId, AutomationPermission.ViewAutomations, cancellationToken).ConfigureAwait(false);
        return await _deliveries.ListByAutomationAsync(automationId, status, page.PageSize == 0 ? PageRequest.First : page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts one dead delivery back in the queue (same delivery id), due now.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the delivery is queued.</returns>
    /// <exception cref="AutomationNotFoundException">No such delivery.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's automations.</exception>
    /// <exception cref="AutomationConflictException">The delivery is not dead.</exception>
    public async Task RedeliverAsync(AutomationActor actor, string deliveryId, CancellationToken cancellationToken = default)
    {
        var delivery = await _deliveries.GetAsync(deliveryId, cancellationToken).ConfigureAwait(false);
        if (delivery is null)
        {
            throw NotFound();
        }

        await _authorizer.DemandOnExistingAsync(actor, AutomationPermission.ManageAutomations, delivery.Automation.Scope, NotFound, cancellationToken).ConfigureAwait(false);
        if (!await _deliveries.RedeliverAsync(deliveryId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            throw new AutomationConflictException($"Delivery {deliveryId} is {delivery.Status}; only dead deliveries can be redelivered.");
        }
    }

    /// <summary>Puts every dead delivery of an automation back in the queue, due now.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="automationId">The automation id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many deliveries were queued again.</returns>
    /// <exception cref="AutomationNotFoundException">No such automation.</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may not manage the team's automations.</exception>
    public async Task<int> RedeliverDeadAsync(AutomationActor actor, string automationId, CancellationToken cancellationToken = default)
    {
        await GetAuthorizedAsync(actor, automationId, AutomationPermission.ManageAutomations, cancellationToken).ConfigureAwait(false);
        var dead = new List<string>();
        string? token = null;
        do
        {
            var page = await _deliveries.ListByAutomationAsync(automationId, DeliveryStatus.Dead, new PageRequest(PageRequest.MaxPageSize, token), cancellationToken).ConfigureAwait(false);
            dead.AddRange(page.Items.Select(d => d.Id));
            token = page.NextPageToken;
        }
        while (token is not null);

        var now = _time.GetUtcNow();
        var count = 0;
        foreach (var id in dead)
        {
            if (await _deliveries.RedeliverAsync(id, now, cancellationToken).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }

    private async Task<string> ActionNameAsync(Automation automation, CancellationToken cancellationToken)
    {
        var integrationId = automation.Action switch
        {
            Domain.Actions.WebhookAction w => w.IntegrationId,
            Domain.Actions.NotificationAction n => n.IntegrationId,
            _ => null,
        };
        if (integrationId is null || _integrations is null)
        {
            return automation.Action.ActionName;
        }

        var integration = await _integrations.GetAsync(integrationId, cancellationToken).ConfigureAwait(false);
        return integration is not null && string.Equals(integration.EntityName, automation.Scope.Entity, StringComparison.Ordinal)
            ? integration.Name
            : automation.Action.ActionName;
    }

    private static AutomationNotFoundException NotFound() => new("The automation or delivery was not found.");

    private static void ThrowOnConflict(StoreWriteResult result, Automation automation)
    {
        switch (result)
        {
            case StoreWriteResult.Applied:
                return;
            case StoreWriteResult.NameConflict:
                throw new AutomationConflictException($"An automation named '{automation.Name}' already exists in {automation.Scope}.");
            case StoreWriteResult.NotFound:
                throw NotFound();
            default:
                throw new AutomationConflictException($"An automation with id '{automation.Id}' already exists.");
        }
    }

    private async Task<Automation> BuildAsync(string id, AutomationDefinition definition, DateTimeOffset createdAt, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        var problems = new ValidationProblemCollector();
        Automation? automation = null;
        try
        {
            automation = new Automation(id, definition.Name, definition.Trigger, definition.Action, createdAt, updatedAt, definition.Description, definition.Enabled);
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange(string.Empty, ex.Problems);
        }

        if (definition.Trigger is not null && definition.Action is not null)
        {
            if (_handlers.TryGetValue(definition.Action.Kind, out var handler))
            {
                var actionProblems = new ValidationProblemCollector();
                await handler.ValidateAsync(definition.Action, definition.Trigger, actionProblems, cancellationToken).ConfigureAwait(false);
                problems.AddRange("action", actionProblems.Problems);
            }
            else
            {
                problems.Add("action.kind", $"No action handler is registered for kind '{definition.Action.Kind}'.");
            }
        }

        problems.ThrowIfInvalid();
        return automation!;
    }

    private async Task<Automation> GetAuthorizedAsync(AutomationActor actor, string id, AutomationPermission permission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var automation = string.IsNullOrEmpty(id) ? null : await _automations.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (automation is null)
        {
            throw NotFound();
        }

        await _authorizer.DemandOnExistingAsync(actor, permission, automation.Scope, NotFound, cancellationToken).ConfigureAwait(false);
        return automation;
    }
}
