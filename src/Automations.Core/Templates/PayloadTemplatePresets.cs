namespace Automations.Core.Templates;

/// <summary>
/// Ready payload templates from W&amp;B's artifact automation guide: a GitHub <c>repository_dispatch</c>, a
/// Microsoft Teams MessageCard and Slack blocks. Each is available as text (to edit or parse with other options)
/// and compiled with the default options.
/// </summary>
public static class PayloadTemplatePresets
{
    /// <summary>
    /// GitHub <c>repository_dispatch</c> body: <c>event_type</c> <c>BUILD_AND_DEPLOY</c> (it must match the workflow's
    /// <c>on.repository_dispatch.types</c>) and the event in <c>client_payload</c>. Send it with the webhook's access
    /// token as <c>Authorization: Bearer</c> to <c>POST /repos/{owner}/{repo}/dispatches</c>.
    /// </summary>
    public static string GitHubRepositoryDispatchText { get; } = """
        {
          "event_type": "BUILD_AND_DEPLOY",
          "client_payload": {
            "event_author": "${event_author}",
            "artifact_version": "${artifact_version}",
            "artifact_version_string": "${artifact_version_string}",
            "artifact_collection_name": "${artifact_collection_name}",
            "project_name": "${project_name}",
            "entity_name": "${entity_name}"
          }
        }
        """;

    /// <summary>Microsoft Teams incoming-webhook MessageCard naming the event's author and type.</summary>
    public static string MicrosoftTeamsText { get; } = """
        {
          "@type": "MessageCard",
          "@context": "http://schema.org/extensions",
          "summary": "New Notification",
          "sections": [
            {
              "activityTitle": "Notification from WANDB",
              "text": "This is an example message sent via Teams webhook.",
              "facts": [
                {
                  "name": "Author",
                  "value": "${event_author}"
                },
                {
                  "name": "Event Type",
                  "value": "${event_type}"
                }
              ],
              "markdown": true
            }
          ]
        }
        """;

    /// <summary>Slack incoming-webhook message with blocks: the event type, the new version and its author.</summary>
    public static string SlackText { get; } = """
        {
          "text": "New alert from WANDB!",
          "blocks": [
            {
              "type": "section",
              "text": {
                "type": "mrkdwn",
                "text": "Artifact event: ${event_type}"
              }
            },
            {
              "type": "section",
              "text": {
                "type": "mrkdwn",
                "text": "New version: ${artifact_version_string}"
              }
            },
            {
              "type": "divider"
            },
            {
              "type": "section",
              "text": {
                "type": "mrkdwn",
                "text": "Author: ${event_author}"
              }
            }
          ]
        }
        """;

    /// <summary><see cref="GitHubRepositoryDispatchText"/>, compiled.</summary>
    public static PayloadTemplate GitHubRepositoryDispatch { get; } = PayloadTemplate.Parse(GitHubRepositoryDispatchText);

    /// <summary><see cref="MicrosoftTeamsText"/>, compiled.</summary>
    public static PayloadTemplate MicrosoftTeams { get; } = PayloadTemplate.Parse(MicrosoftTeamsText);

    /// <summary><see cref="SlackText"/>, compiled.</summary>
    public static PayloadTemplate Slack { get; } = PayloadTemplate.Parse(SlackText);
}
