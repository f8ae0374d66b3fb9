namespace Automations.Core.Tests.Signing;

/// <summary>A fact that runs only where <c>bash</c>, <c>openssl</c> and <c>base64</c> are on PATH; skipped (with the reason) elsewhere.</summary>
public sealed class OpensslFactAttribute : FactAttribute
{
    public OpensslFactAttribute()
    {
        var missing = new[] { "bash", "openssl", "base64", "od" }.Where(tool => !OnPath(tool)).ToArray();
        if (missing.Length > 0)
        {
            Skip = "Not on PATH: " + string.Join(", ", missing);
        }
    }

    internal static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
