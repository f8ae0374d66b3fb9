using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain.Actions;
using Automations.Core.Http;
using Automations.Core.Templates;
using Microsoft.Extensions.Options;

namespace Automations.Core.Engine.Handlers;

/// <summary>
/// Runs <see cref="NotificationAction"/>: a Slack-style message (title, message, severity) POSTed to a webhook
/// integration. Title and message may use the same <c>${...}</c> placeholders as payload templates.
/// </summary>
internal sealed class NotificationActionHandler(
    IIntegrationStore integrations,
    ISecretResolver secrets,
    IWebhookDispatcher dispatcher,
    IOptions<AutomationEngineOptions> engineOptions,
    TimeProvider time,
    PayloadTemplateOptions? templateOptions = null)
    : TemplatedWebhookHandler(integrations, secrets, dispatcher, engineOptions, time, templateOptions)
{
    public override string Kind => ActionKinds.Notification;

    protected override string TemplatePath => "message";

    protected override string GetIntegrationId(AutomationAction action) => ((NotificationAction)action).IntegrationId;

    protected override string GetTemplateText(AutomationAction action) => ToTemplate((NotificationAction)action);

    /// <summary>
    /// The Slack blocks payload for a notification. Title and message are embedded as JSON string content, so their
    /// placeholders stay placeholders and everything else is escaped.
    /// </summary>
    internal static string ToTemplate(NotificationAction action)
    {
        var severity = action.Severity switch
        {
            Domain.Actions.NotificationSeverity.Warn => "WARN",
            Domain.Actions.NotificationSeverity.Error => "ERROR",
            _ => "INFO",
        };
        var title = Quote(action.Title);
        var text = Quote($"*[{severity}]* {action.Message}");
        return "{\"text\": " + Quote($"[{severity}] {action.Title}")
               + ", \"blocks\": [{\"type\": \"header\", \"text\": {\"type\": \"plain_text\", \"text\": " + title + "}}"
               + ", {\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\": " + text + "}}]}";
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, NotificationJson.Options);

    private static class NotificationJson
    {
        public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
