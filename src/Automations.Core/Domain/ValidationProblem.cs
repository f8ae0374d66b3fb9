namespace Automations.Core.Domain;

/// <summary>
/// One problem found while validating input, with the path of the offending value
/// (for example <c>trigger.filter.$and[0].alias.$regex</c>).
/// </summary>
/// <param name="Path">Dotted path of the value the problem is about; empty for the value itself.</param>
/// <param name="Message">A clear, human-readable description of the problem. Never contains secret values.</param>
public readonly record struct ValidationProblem(string Path, string Message)
{
    /// <summary>Formats the problem as <c>path: message</c> (or only the message when the path is empty).</summary>
    /// <returns>The formatted problem.</returns>
    public override string ToString() => string.IsNullOrEmpty(Path) ? Message : $"{Path}: {Message}";
}
