using System.Collections.Concurrent;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Integrations;
using Automations.Core.Domain.Triggers;
using Automations.Core.Http;
using Automations.Core.Secrets;
using Automations.Core.Templates;
using Microsoft.Extensions.Options;

namespace Automations.Core.Engine.Handlers;

/// <summary>
/// Shared by the actions that POST a rendered template to a webhook integration (webhook, notification): checks
/// the template and integration when saved; at delivery time renders (secrets fetched then, only those used),
/// signs, dispatches, records a redacted body, and keeps the integration's health (410 or days of failures
/// disable it with a reason).
/// </summary>
internal abstract class TemplatedWebhookHandler : IActionHandler
{
    private const int MaxCachedTemplates = 4096;
    private readonly IIntegrationStore _integrations;
    private readonly ISecretResolver _secrets;
    private readonly WebhookSender _sender;
    private readonly PayloadTemplateOptions _templateOptions;
    private readonly TimeProvider _time;
    private readonly AutomationEngineOptions _engineOptions;
    private readonly ConcurrentDictionary<string, PayloadTemplate> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _concurrencyKeys = new(StringComparer.Ordinal);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<AutomationAction, PayloadTemplate> _templatesByAction = new();

    protected TemplatedWebhookHandler(
        IIntegrationStore integrations,
        ISecretResolver secrets,
        IWebhookDispatcher dispatcher,
        IOptions<AutomationEngineOptions> engineOptions,
        TimeProvider time,
        PayloadTemplateOptions? templateOptions)
    {
        _integrations = integrations;
        _secrets = secrets;
        _time = time;
        _engineOptions = engineOptions.Value;
        _templateOptions = templateOptions ?? new PayloadTemplateOptions();
        _sender = new WebhookSender(dispatcher, secrets, time);
    }

    public abstract string Kind { get; }

    public async ValueTask ValidateAsync(AutomationAction action, AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(problems);
        var entity = trigger.Scope.Entity;
        var integrationId = GetIntegrationId(action);
        var integration = await _integrations.GetAsync(integrationId, cancellationToken).ConfigureAwait(false);
        if (integration is null || !string.Equals(integration.EntityName, entity, StringComparison.Ordinal))
        {
            problems.Add("integrationId", $"Team '{entity}' has no webhook integration with id '{integrationId}'.");
        }

        if (!PayloadTemplate.TryParse(GetTemplateText(action), _templateOptions, out var template, out var templateProblems))
        {
            problems.AddRange(TemplatePath, templateProblems);
            return;
        }

        foreach (var variable in template.Variables)
        {
            if (variable == TemplateVariables.Alias && !trigger.EventType.CarriesAlias())
            {
                problems.Add(TemplatePath, $"${{alias}} is only available for ADD_ARTIFACT_ALIAS events, not {trigger.EventType.ToWireName()}.");
            }
            else if (variable == TemplateVariables.Tag && !trigger.EventType.CarriesTag())
            {
                problems.Add(TemplatePath, $"${{tag}} is only available for tag events, not {trigger.EventType.ToWireName()}.");
            }
        }

        foreach (var name in template.SecretNames)
        {
            if (!await _secrets.SecretExistsAsync(entity, name, cancellationToken).ConfigureAwait(false))
            {
                problems.Add(TemplatePath, $"Team '{entity}' has no secret named '{name}' (used as ${{{name}}}).");
            }
        }
    }

    /// <summary>
    /// <c>webhook:</c> and the integration id, built once per integration (the worker asks for it on every
    /// attempt).
    /// </summary>
    public string? GetConcurrencyKey(Delivery delivery)
    {
        var integrationId = GetIntegrationId(delivery.Automation.Action);
        if (_concurrencyKeys.TryGetValue(integrationId, out var key))
        {
            return key;
        }

        key = "webhook:" + integrationId;
        if (_concurrencyKeys.Count >= MaxCachedTemplates)
        {
            _concurrencyKeys.Clear();
        }

        _concurrencyKeys[integrationId] = key;
        return key;
    }

    /// <remarks>
    /// Pooled: the worker awaits each attempt once, so the state machine (which goes async on every real
    /// dispatch) is reused instead of allocated per attempt; the pool clears its fields on completion.
    /// </remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var delivery = lease.Delivery;
        var action = delivery.Automation.Action;
        var entity = delivery.Automation.Scope.Entity;
        var integration = await _integrations.GetAsync(GetIntegrationId(action), cancellationToken).ConfigureAwait(false);
        if (integration is null || !string.Equals(integration.EntityName, entity, StringComparison.Ordinal))
        {
            return ActionResult.Failure(ActionOutcome.Refused, $"The webhook integration '{GetIntegrationId(action)}' no longer exists.");
        }

        var target = integration.Url.ToString();
        if (!integration.IsEnabled)
        {
            return ActionResult.Failure(ActionOutcome.Refused, $"The webhook integration '{integration.Name}' is disabled: {integration.DisabledReason}", target);
        }

        PayloadTemplate template;
        TemplateSecrets secrets;
        try
        {
            template = GetTemplate(action);
        }
        catch (AutomationValidationException ex)
        {
            return ActionResult.Failure(ActionOutcome.Refused, string.Join("; ", ex.Problems.Select(p => p.Message)), target);
        }

        try
        {
            secrets = template.SecretNames.Count == 0
                ? TemplateSecrets.Empty
                : await template.FetchSecretsAsync(new TeamSecrets(_secrets, entity), cancellationToken).ConfigureAwait(false);
        }
        catch (AutomationValidationException ex)
        {
            return ActionResult.Failure(
                ActionOutcome.Refused,
                $"A secret the template uses is missing from team '{entity}' (deleted or renamed?): {string.Join("; ", ex.Problems.Select(p => p.Message))}",
                target);
        }
        catch (SecretDecryptionException ex)
        {
            return ActionResult.Failure(ActionOutcome.Refused, ex.Message, target);
        }

        // Every value sent that must not be recorded: a receiver may echo the body or headers back.
        var redactor = new SecretRedactor();
        var names = secrets.Names;
        for (var i = 0; i < names.Count; i++)
        {
            redactor.Add(secrets.TryGetSecret(names[i], out var value) ? value : null, names[i]);
        }

        var context = ContextOf(delivery.Event);
        using var body = new PooledByteBufferWriter();
        template.Render(context, secrets, body);

        // The history's copy: secrets as their ${NAME} markers (a template without secrets is recorded as sent).
        var redacted = template.SecretNames.Count == 0
            ? Utf8Text.FromUtf8(body.WrittenSpan)
            : Utf8Text.From(template.RenderToString(context, new RedactingSecrets()));

        var (request, refusal) = await _sender.PrepareAsync(integration, body.WrittenMemory, delivery.Id, redactor, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return ActionResult.Failure(ActionOutcome.Refused, refusal!, target) with { RequestBodyText = redacted };
        }

        // The dispatcher is awaited here directly (no sender layer in between: one state machine less per attempt).
        var outcome = await _sender.Dispatcher.DispatchAsync(request, cancellationToken).ConfigureAwait(false);

        var result = new ActionResult
        {
            Outcome = Map(outcome.Kind),
            Target = target,
            RequestBodyText = redacted,
            ResponseStatus = outcome.StatusCode,
            ResponseBody = outcome.ResponseBody.IsEmpty ? null : redactor.Redact(outcome.GetResponseBodyText(), outcome.IsResponseBodyTruncated),
            Error = outcome.IsSuccess ? null : redactor.Redact(outcome.Message),
            RetryAfter = outcome.RetryAfter,
        };
        await TrackHealthAsync(integration, outcome, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The template variables of an event.</summary>
    internal static TemplateContext ContextOf(ArtifactEvent e) => new()
    {
        EventType = e.Type.ToWireName(),
        EventAuthor = e.Author,
        ArtifactId = e.Version.Id,
        ArtifactVersionString = e.ArtifactVersionString,
        ArtifactCollectionName = e.Collection,
        ProjectName = e.Container.Name,
        EntityName = e.Entity,
        Alias = e.Alias ?? string.Empty,
        Tag = e.Tag ?? string.Empty,
        ArtifactMetadata = e.Version.Metadata,
    };

    protected abstract string TemplatePath { get; }

    protected abstract string GetIntegrationId(AutomationAction action);

    protected abstract string GetTemplateText(AutomationAction action);

    private static ActionOutcome Map(WebhookDispatchOutcomeKind kind) => kind switch
    {
        WebhookDispatchOutcomeKind.Succeeded => ActionOutcome.Succeeded,
        WebhookDispatchOutcomeKind.RetryableFailure => ActionOutcome.RetryableFailure,
        WebhookDispatchOutcomeKind.EndpointGone => ActionOutcome.TargetGone,
        WebhookDispatchOutcomeKind.RefusedByPolicy => ActionOutcome.Refused,
        _ => ActionOutcome.PermanentFailure,
    };

    /// <summary>
    /// The compiled template of an action: remembered per action object (a store that keeps its automations in
    /// memory hands out the same object for every delivery, so no lookup by the template's text is needed), then
    /// per template text.
    /// </summary>
    private PayloadTemplate GetTemplate(AutomationAction action)
    {
        if (_templatesByAction.TryGetValue(action, out var template))
        {
            return template;
        }

        template = GetTemplate(GetTemplateText(action));
        _templatesByAction.AddOrUpdate(action, template);
        return template;
    }

    private PayloadTemplate GetTemplate(string text)
    {
        if (_templates.TryGetValue(text, out var template))
        {
            return template;
        }

        template = PayloadTemplate.Parse(text, _templateOptions);
        if (_templates.Count >= MaxCachedTemplates)
        {
            _templates.Clear();
        }

        _templates[text] = template;
        return template;
    }

    /// <summary>
    /// Keeps the integration's health in the store (so it survives restarts): the start of a run of failures is
    /// recorded on the integration, a success clears it, and 410 Gone or failures for longer than
    /// <see cref="AutomationEngineOptions.DisableEndpointAfterFailingFor"/> disable it with a reason. The store is
    /// written only when the state changes, re-reading the integration first so an admin's concurrent edit is kept.
    /// </summary>
    private async Task TrackHealthAsync(WebhookIntegration integration, WebhookDispatchOutcome outcome, CancellationToken cancellationToken)
    {
        var failed = outcome.Kind is WebhookDispatchOutcomeKind.RetryableFailure or WebhookDispatchOutcomeKind.PermanentFailure;
        var gone = outcome.Kind == WebhookDispatchOutcomeKind.EndpointGone;
        if (outcome.IsSuccess ? integration.FailingSince is null : !(failed || gone))
        {
            return; // nothing to record (refusals by policy are not the endpoint's fault)
        }

        var now = _time.GetUtcNow();

        var current = await _integrations.GetAsync(integration.Id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return;
        }

        var updated = outcome.IsSuccess ? current.WithSuccess() : current.WithFailure(now);
        if (gone && updated.IsEnabled)
        {
            updated = updated.Disable(Reason($"The endpoint answered 410 Gone at {now:u}."));
        }
        else if (failed && updated.IsEnabled && updated.FailingSince is { } since && now - since >= _engineOptions.DisableEndpointAfterFailingFor)
        {
            updated = updated.Disable(Reason($"Every delivery failed since {since:u} ({(now - since).TotalDays:0.#} days); last: {outcome.Message}"));
        }

        if (!ReferenceEquals(updated, current))
        {
            await _integrations.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Reason(string reason) => reason.Length <= WebhookIntegration.MaxDisabledReasonLength
        ? reason
        : reason[..(WebhookIntegration.MaxDisabledReasonLength - 1)] + "…";

    /// <summary>Reads one team's secrets for a template.</summary>
    private sealed class TeamSecrets(ISecretResolver resolver, string entity) : ITemplateSecretSource
    {
        public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) => resolver.GetSecretAsync(entity, name, cancellationToken);
    }

    /// <summary>Renders every secret as its <c>${NAME}</c> marker, for the history's copy of the body.</summary>
    private sealed class RedactingSecrets : ITemplateSecretLookup
    {
        public bool TryGetSecret(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = "${" + name + "}";
            return true;
        }
    }
}
