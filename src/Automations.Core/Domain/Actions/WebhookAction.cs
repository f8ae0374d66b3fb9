namespace Automations.Core.Domain.Actions;

/// <summary>POST a JSON payload, rendered from a template, to a team webhook integration.</summary>
public sealed class WebhookAction : AutomationAction
{
    /// <summary>Maximum length of the payload template text, in characters.</summary>
    public const int MaxTemplateLength = 256 * 1024;

    /// <summary>Creates a validated webhook action.</summary>
    /// <param name="integrationId">The id of the team's webhook integration to POST to.</param>
    /// <param name="payloadTemplate">The JSON payload template (<c>${name}</c> placeholders).</param>
    /// <exception cref="AutomationValidationException">The integration id or template is missing or invalid.</exception>
    public WebhookAction(string integrationId, string payloadTemplate)
    {
        var problems = new ValidationProblemCollector();
        Names.CheckText(problems, "integrationId", integrationId, "Webhook integration id", 256);
        if (string.IsNullOrWhiteSpace(payloadTemplate))
        {
            problems.Add("payloadTemplate", "Payload template is required.");
        }
        else if (payloadTemplate.Length > MaxTemplateLength)
        {
            problems.Add("payloadTemplate", $"Payload template must be at most {MaxTemplateLength} characters.");
        }

        problems.ThrowIfInvalid();
        IntegrationId = integrationId;
        PayloadTemplate = payloadTemplate;
    }

    /// <inheritdoc />
    public override string Kind => ActionKinds.Webhook;

    /// <inheritdoc />
    public override string ActionName => IntegrationId;

    /// <summary>The id of the team's webhook integration.</summary>
    public string IntegrationId { get; }

    /// <summary>The payload template text.</summary>
    public string PayloadTemplate { get; }
}
