using System.Text;

namespace Automations.Cli.Demo;

/// <summary>Formats rows as a plain-text table: left-aligned columns, two spaces apart, a dashed rule under the header.</summary>
internal static class TextTable
{
    /// <summary>Formats a table.</summary>
    /// <param name="indent">Text before every line.</param>
    /// <param name="headers">The column headers.</param>
    /// <param name="rows">The rows (each as many cells as headers).</param>
    /// <returns>The lines of the table.</returns>
    public static IReadOnlyList<string> Format(string indent, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows.ToList();
        if (all.Any(r => r.Count != headers.Count))
        {
            throw new ArgumentException("Every row needs one cell per header.", nameof(rows));
        }

        var widths = headers.Select((h, i) => all.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var lines = new List<string>(all.Count + 2)
        {
            Line(indent, headers, widths),
            Line(indent, widths.Select(w => new string('-', w)).ToArray(), widths),
        };
        lines.AddRange(all.Select(r => Line(indent, r, widths)));
        return lines;
    }

    private static string Line(string indent, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder(indent);
        for (var i = 0; i < cells.Count; i++)
        {
            line.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        return line.ToString().TrimEnd();
    }
}
