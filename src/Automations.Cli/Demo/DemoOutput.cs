using System.Text;

namespace Automations.Cli.Demo;

/// <summary>Writes the demo's lines to standard output and keeps a copy, so the demo can check it never printed a secret.</summary>
internal sealed class DemoOutput(TextWriter writer)
{
    private readonly StringBuilder _copy = new();

    /// <summary>Everything written so far.</summary>
    public string Text => _copy.ToString();

    /// <summary>Writes one line.</summary>
    /// <param name="line">The line (empty for a blank line).</param>
    /// <returns>A task that completes when the line is written.</returns>
    public Task LineAsync(string line = "")
    {
        _copy.AppendLine(line);
        return writer.WriteLineAsync(line);
    }

    /// <summary>Writes several lines.</summary>
    /// <param name="lines">The lines.</param>
    /// <returns>A task that completes when the lines are written.</returns>
    public async Task LinesAsync(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await LineAsync(line).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a section heading after a blank line.</summary>
    /// <param name="title">The heading.</param>
    /// <returns>A task that completes when the heading is written.</returns>
    public async Task HeadingAsync(string title)
    {
        await LineAsync().ConfigureAwait(false);
        await LineAsync(title).ConfigureAwait(false);
    }
}

/// <summary>The demo's checks: each has a description and passed or failed, with the detail that explains it.</summary>
internal sealed class DemoChecks
{
    private readonly List<(bool Passed, string Description, string Detail)> _results = [];

    /// <summary>Whether every check passed (and there was at least one).</summary>
    public bool AllPassed => _results.Count > 0 && _results.TrueForAll(r => r.Passed);

    /// <summary>How many checks failed.</summary>
    public int FailedCount => _results.Count(r => !r.Passed);

    /// <summary>How many checks ran.</summary>
    public int Count => _results.Count;

    /// <summary>Records a check.</summary>
    /// <param name="passed">Whether it passed.</param>
    /// <param name="description">What was checked.</param>
    /// <param name="detail">What was found.</param>
    public void Add(bool passed, string description, string detail) => _results.Add((passed, description, detail));

    /// <summary>The checks as lines: <c>[ok]</c> or <c>[FAIL]</c>, the description and the detail.</summary>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Lines() => _results.Select(r => $"  [{(r.Passed ? "ok" : "FAIL")}] {r.Description}: {r.Detail}");
}
