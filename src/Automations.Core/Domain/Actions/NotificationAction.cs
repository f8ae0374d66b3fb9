namespace Automations.Core.Domain.Actions;

/// <summary>Send a Slack-style notification (title, message, severity) through a webhook integration.</summary>
public sealed class NotificationAction : AutomationAction
{
    /// <summary>Maximum length of the title.</summary>
    public const int MaxTitleLength = 256;

    /// <summary>Maximum length of the message.</summary>
    public const int MaxMessageLength = 4000;

    /// <summary>Creates a validated notification action.</summary>
    /// <param name="integrationId">The id of the webhook integration that receives the notification.</param>
    /// <param name="title">The title (may contain <c>${name}</c> placeholders).</param>
    /// <param name="message">The message (may contain <c>${name}</c> placeholders).</param>
    /// <param name="severity">The severity.</param>
    /// <exception cref="AutomationValidationException">A field is missing or invalid (all problems are listed).</exception>
    public NotificationAction(string integrationId, string title, string message, NotificationSeverity severity = NotificationSeverity.Info)
    {
        var problems = new ValidationProblemCollector();
        Names.CheckText(problems, "integrationId", integrationId, "Integration id", 256);
        Names.CheckText(problems, "title", title, "Title", MaxTitleLength);
        if (string.IsNullOrWhiteSpace(message))
        {
            problems.Add("message", "Message is required.");
        }
        else if (message.Length > MaxMessageLength)
        {
            problems.Add("message", $"Message must be at most {MaxMessageLength} characters.");
        }

        if (!Enum.IsDefined(severity))
        {
            problems.Add("severity", $"Unknown severity {(int)severity}; use INFO, WARN or ERROR.");
        }

        problems.ThrowIfInvalid();
        IntegrationId = integrationId;
        Title = title;
        Message = message;
        Severity = severity;
    }

    /// <inheritdoc />
    public override string Kind => ActionKinds.Notification;

    /// <inheritdoc />
    public override string ActionName => IntegrationId;

    /// <summary>The id of the webhook integration that receives the notification.</summary>
    public string IntegrationId { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The message.</summary>
    public string Message { get; }

    /// <summary>The severity.</summary>
    public NotificationSeverity Severity { get; }
}
