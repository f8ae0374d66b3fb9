using System.Text.RegularExpressions;

namespace Automations.Core.Domain.Actions;

/// <summary>The built-in action kinds (W&amp;B's names) and the rule for custom kind names.</summary>
public static partial class ActionKinds
{
    /// <summary>POST a rendered payload to a webhook integration.</summary>
    public const string Webhook = "GENERIC_WEBHOOK";

    /// <summary>Put a launch job on a queue.</summary>
    public const string LaunchJob = "QUEUE_JOB";

    /// <summary>Send a Slack-style notification (title, message, severity).</summary>
    public const string Notification = "NOTIFICATION";

    /// <summary>Do nothing (useful to test triggers).</summary>
    public const string NoOp = "NO_OP";

    /// <summary>Whether a kind is one of the built-in kinds.</summary>
    /// <param name="kind">The kind name.</param>
    /// <returns>True for a built-in kind.</returns>
    public static bool IsBuiltIn(string? kind) => kind is Webhook or LaunchJob or Notification or NoOp;

    /// <summary>
    /// Whether a name is a valid custom kind: 1–64 characters, starting with a letter, then letters, digits,
    /// <c>_</c>, <c>-</c> or <c>.</c> (e.g. <c>acme.pagerduty</c>), and not a built-in kind.
    /// </summary>
    /// <param name="kind">The kind name.</param>
    /// <returns>True when the name can be used for a custom kind.</returns>
    public static bool IsValidCustomKind(string? kind) => kind is not null && CustomKind().IsMatch(kind) && !IsBuiltIn(kind);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomKind();
}
