namespace Automations.Core.Tests;

/// <summary>
/// Keeps the code in the docs honest: a snippet is the text of a compiled test file between <c>// &lt;name&gt;</c> and
/// <c>// &lt;/name&gt;</c> (common indentation removed), and a doc must contain it verbatim.
/// </summary>
internal static class DocSnippets
{
    /// <summary>The repository root (the folder holding Automations.Core.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Reads a file of the repository, with <c>\n</c> line ends.</summary>
    public static string Read(string relativePath)
        => File.ReadAllText(Path.Combine(RepositoryRoot, relativePath)).ReplaceLineEndings("\n");

    /// <summary>The snippet named <paramref name="name"/> in a source file, dedented.</summary>
    public static string Snippet(string relativePath, string name)
    {
        var lines = Read(relativePath).Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == $"// <{name}>");
        var end = Array.FindIndex(lines, l => l.Trim() == $"// </{name}>");
        if (start < 0 || end <= start)
        {
            throw new InvalidOperationException($"{relativePath} has no snippet '{name}'.");
        }

        var body = lines[(start + 1)..end];
        var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    /// <summary>Asserts that a doc contains the snippet verbatim.</summary>
    public static void AssertDocContains(string docPath, string snippet)
    {
        var doc = Read(docPath);
        Assert.True(doc.Contains(snippet, StringComparison.Ordinal), $"{docPath} does not contain this code verbatim (update the doc from the test file):\n{snippet}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Automations.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Automations.Core.sln was not found above " + AppContext.BaseDirectory);
    }
}
