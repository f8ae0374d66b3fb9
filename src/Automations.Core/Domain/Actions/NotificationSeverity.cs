namespace Automations.Core.Domain.Actions;

/// <summary>Severity of a notification (W&amp;B's INFO / WARN / ERROR).</summary>
public enum NotificationSeverity
{
    /// <summary><c>INFO</c>.</summary>
    Info = 0,

    /// <summary><c>WARN</c>.</summary>
    Warn = 1,

    /// <summary><c>ERROR</c>.</summary>
    Error = 2,
}
