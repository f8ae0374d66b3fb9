using System.Text.Json;

namespace Automations.Cli;

/// <summary>
/// Reads an option that takes JSON: either the JSON text itself (it starts with <c>{</c> or <c>[</c>, after any
/// white space) or the path of a file holding it.
/// </summary>
internal static class JsonInput
{
    /// <summary>Resolves the option's value to JSON text.</summary>
    /// <param name="value">What the user typed: inline JSON or a file path.</param>
    /// <param name="json">The JSON text (not yet parsed) when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why the value could not be read, when the method returns <see langword="false"/>.</param>
    /// <returns>Whether JSON text was obtained.</returns>
    public static bool TryRead(string value, out string json, out string error)
    {
        ArgumentNullException.ThrowIfNull(value);
        json = string.Empty;
        error = string.Empty;

        var trimmed = value.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            json = value;
            return true;
        }

        if (value.Length == 0)
        {
            error = "Expected inline JSON or the path of a file holding JSON; got an empty value.";
            return false;
        }

        try
        {
            if (!File.Exists(value))
            {
                error = $"'{value}' is neither inline JSON (starting with '{{' or '[') nor an existing file.";
                return false;
            }

            json = File.ReadAllText(value);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"Cannot read the file '{value}': {ex.Message}";
            return false;
        }
    }

    /// <summary>Reads and parses the option's value (inline JSON or a file path).</summary>
    /// <param name="valueOrPath">The option value.</param>
    /// <returns>The parsed JSON (independent of any document).</returns>
    /// <exception cref="FormatException">The file does not exist, cannot be read, or the text is not valid JSON.</exception>
    public static JsonElement Read(string valueOrPath)
    {
        if (!TryRead(valueOrPath, out var text, out var error))
        {
            throw new FormatException(error);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            var source = text.AsSpan().TrimStart() is [ '{' or '[', ..] && ReferenceEquals(text, valueOrPath) ? "inline JSON" : $"file '{valueOrPath}'";
            throw new FormatException($"invalid JSON in {source}: {ex.Message}", ex);
        }
    }
}
