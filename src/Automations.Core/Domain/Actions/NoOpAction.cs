namespace Automations.Core.Domain.Actions;

/// <summary>An action that does nothing; the execution is still recorded (useful to test a trigger).</summary>
public sealed class NoOpAction : AutomationAction
{
    /// <summary>The one instance.</summary>
    public static NoOpAction Instance { get; } = new();

    private NoOpAction()
    {
    }

    /// <inheritdoc />
    public override string Kind => ActionKinds.NoOp;

    /// <inheritdoc />
    public override string ActionName => "no-op";
}
