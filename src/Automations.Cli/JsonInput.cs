using System.Text.Json;

namespace Automations.Cli;

/// <summary>Reads an option value that is either inline JSON or the path of a file holding JSON.</summary>
internal static class JsonInput
{
    /// <summary>
    /// Inline when the text starts (after white space) with <c>{</c> or <c>[</c>; otherwise it must name an existing file.
    /// </summary>
    /// <param name="valueOrPath">The option value.</param>
    /// <returns>The parsed JSON (independent of any document).</returns>
    /// <exception cref="FormatException">The file does not exist, cannot be read, or the text is not valid JSON.</exception>
    public static JsonElement Read(string valueOrPath)
    {
        ArgumentNullException.ThrowIfNull(valueOrPath);
        var trimmed = valueOrPath.AsSpan().TrimStart();
        string text;
        string source;
        if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
        {
            text = valueOrPath;
            source = "inline JSON";
        }
        else if (File.Exists(valueOrPath))
        {
            try
            {
                text = File.ReadAllText(valueOrPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"cannot read '{valueOrPath}': {ex.Message}", ex);
            }

            source = $"file '{valueOrPath}'";
        }
        else
        {
            throw new FormatException($"'{valueOrPath}' is neither inline JSON (starting with '{{' or '[') nor an existing file.");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"invalid JSON in {source}: {ex.Message}", ex);
        }
    }
}
