using Automations.Core.Abstractions;
using Automations.Core.Domain.Actions;
using Automations.Core.Http;
using Automations.Core.Templates;
using Microsoft.Extensions.Options;

namespace Automations.Core.Engine.Handlers;

/// <summary>Runs <see cref="WebhookAction"/>: POSTs the automation's rendered payload template to its integration.</summary>
internal sealed class WebhookActionHandler(
    IIntegrationStore integrations,
    ISecretResolver secrets,
    IWebhookDispatcher dispatcher,
    IOptions<AutomationEngineOptions> engineOptions,
    TimeProvider time,
    PayloadTemplateOptions? templateOptions = null)
    : TemplatedWebhookHandler(integrations, secrets, dispatcher, engineOptions, time, templateOptions)
{
    public override string Kind => ActionKinds.Webhook;

    protected override string TemplatePath => "payloadTemplate";

    protected override string GetIntegrationId(AutomationAction action) => ((WebhookAction)action).IntegrationId;

    protected override string GetTemplateText(AutomationAction action) => ((WebhookAction)action).PayloadTemplate;
}
