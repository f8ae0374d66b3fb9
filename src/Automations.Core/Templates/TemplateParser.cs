using System.Globalization;
using System.Text;
using System.Text.Json;
using Automations.Core.Domain;

namespace Automations.Core.Templates;

/// <summary>The pieces of a compiled template: literal UTF-8 segments interleaved with placeholders.</summary>
/// <param name="Literals">Every literal segment's UTF-8 bytes, back to back.</param>
/// <param name="SegmentBounds">Segment <c>k</c> is <c>Literals[SegmentBounds[k]..SegmentBounds[k + 1]]</c>; one more segment than slots.</param>
/// <param name="Slots">The placeholders; slot <c>k</c> follows segment <c>k</c>.</param>
/// <param name="Variables">Distinct fixed variables, in order of first use.</param>
/// <param name="MetadataKeys">Distinct metadata keys, in order of first use.</param>
/// <param name="SecretNames">Distinct secret names, in order of first use.</param>
internal sealed record CompiledTemplateParts(
    byte[] Literals,
    int[] SegmentBounds,
    TemplateSlot[] Slots,
    string[] Variables,
    string[] MetadataKeys,
    string[] SecretNames);

/// <summary>
/// Parses and validates template text: finds placeholders with a JSON-aware scan (inside or outside strings),
/// classifies their names, then checks that the text with every placeholder replaced by an empty string is one
/// JSON object. Every problem carries its line and column in the original text.
/// </summary>
internal static class TemplateParser
{
    private static readonly string[] s_reservedPrefixes = ["event_", "artifact_", "project_", "entity_"];

    public static CompiledTemplateParts? Parse(string text, PayloadTemplateOptions options, ValidationProblemCollector problems)
    {
        var byteCount = Encoding.UTF8.GetByteCount(text);
        if (byteCount > options.MaxTemplateBytes)
        {
            problems.Add(string.Empty, string.Create(
                CultureInfo.InvariantCulture,
                $"the template is {byteCount} bytes of UTF-8, over the limit of {options.MaxTemplateBytes} bytes (PayloadTemplateOptions.MaxTemplateBytes)."));
            return null;
        }

        var before = problems.Problems.Count;
        var lines = new LineMap(text);

        // The validated text: the template with each placeholder removed (and wrapped in quotes when it stood outside
        // a string). map[k] is the index in the original text that character k of it came from.
        var shadow = new StringBuilder(text.Length + 16);
        var map = new List<int>(text.Length + 16);
        var segmentStarts = new List<int> { 0 };
        var slots = new List<TemplateSlot>();
        var inString = false;
        var escaped = false;
        var unterminated = false;

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$' && !escaped && i + 1 < text.Length && text[i + 1] == '{')
            {
                var start = i;
                var j = i + 2;
                while (j < text.Length && text[j] != '}' && !IsNameStop(text, j))
                {
                    j++;
                }

                if (j >= text.Length || text[j] != '}')
                {
                    unterminated = true;
                    problems.Add(string.Empty, $"{lines.Describe(start)}: unterminated placeholder '{Shorten(text[start..j])}': {StopReason(text, j)} before the closing '}}'.");
                    i = j;
                    continue;
                }

                var name = text.Substring(start + 2, j - start - 2);
                var slot = Classify(name, lines.Describe(start), problems);
                var outside = !inString;
                if (outside)
                {
                    shadow.Append('"');
                    map.Add(start);
                }

                segmentStarts.Add(shadow.Length);
                slots.Add(slot);
                if (outside)
                {
                    shadow.Append('"');
                    map.Add(start);
                }

                i = j + 1;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    shadow.Append(c).Append(text[i + 1]);
                    map.Add(i);
                    map.Add(i + 1);
                    i += 2;
                }
                else
                {
                    problems.Add(string.Empty, string.Create(
                        CultureInfo.InvariantCulture,
                        $"{lines.Describe(i)}: lone surrogate U+{(int)c:X4}: the template is not valid Unicode text."));
                    shadow.Append('\uFFFD');
                    map.Add(i);
                    i++;
                }

                escaped = false;
                continue;
            }

            shadow.Append(c);
            map.Add(i);
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }

            i++;
        }

        map.Add(text.Length);
        var shadowText = shadow.ToString();
        var literals = Encoding.UTF8.GetBytes(shadowText);

        if (!unterminated)
        {
            ValidateJson(literals, shadowText, map, lines, problems);
        }

        if (problems.Problems.Count > before)
        {
            return null;
        }

        var bounds = new int[segmentStarts.Count + 1];
        for (var k = 0; k < segmentStarts.Count; k++)
        {
            bounds[k] = Encoding.UTF8.GetByteCount(shadowText.AsSpan(0, segmentStarts[k]));
        }

        bounds[^1] = literals.Length;
        var slotArray = slots.ToArray();
        return new CompiledTemplateParts(
            literals,
            bounds,
            slotArray,
            Distinct(slotArray, s => s.Kind is not TemplateSlotKind.Metadata and not TemplateSlotKind.Secret, NameOf),
            Distinct(slotArray, s => s.Kind == TemplateSlotKind.Metadata, s => s.Key!),
            Distinct(slotArray, s => s.Kind == TemplateSlotKind.Secret, s => s.Key!));
    }

    private static string NameOf(TemplateSlot slot) => slot.Kind switch
    {
        TemplateSlotKind.EventType => TemplateVariables.EventType,
        TemplateSlotKind.EventAuthor => TemplateVariables.EventAuthor,
        TemplateSlotKind.ArtifactVersion => TemplateVariables.ArtifactVersion,
        TemplateSlotKind.ArtifactVersionString => TemplateVariables.ArtifactVersionString,
        TemplateSlotKind.ArtifactCollectionName => TemplateVariables.ArtifactCollectionName,
        TemplateSlotKind.ProjectName => TemplateVariables.ProjectName,
        TemplateSlotKind.EntityName => TemplateVariables.EntityName,
        TemplateSlotKind.Alias => TemplateVariables.Alias,
        TemplateSlotKind.Tag => TemplateVariables.Tag,
        _ => throw new InvalidOperationException("Not a fixed variable."),
    };

    private static string[] Distinct(TemplateSlot[] slots, Func<TemplateSlot, bool> filter, Func<TemplateSlot, string> name)
        => slots.Where(filter).Select(name).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Characters that end a placeholder name before its '}': quote, backslash, a nested '${', control chars.</summary>
    private static bool IsNameStop(string text, int j)
    {
        var c = text[j];
        return c == '"' || c == '\\' || c < ' ' || (c == '$' && j + 1 < text.Length && text[j + 1] == '{');
    }

    private static string StopReason(string text, int j)
    {
        if (j >= text.Length)
        {
            return "the template ends";
        }

        return text[j] switch
        {
            '"' => "the string ends",
            '\n' or '\r' => "the line ends",
            '$' => "another placeholder starts",
            var c when c < ' ' => string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)c:X4} comes"),
            var c => $"'{c}' comes",
        };
    }

    private static TemplateSlot Classify(string name, string where, ValidationProblemCollector problems)
    {
        var invalid = new TemplateSlot(TemplateSlotKind.Invalid, null);
        if (name.Length == 0)
        {
            problems.Add(string.Empty, $"{where}: empty placeholder '${{}}': write a variable (for example '${{event_type}}'), '${{artifact_metadata.<KEY>}}' or a secret name.");
            return invalid;
        }

        if (name.StartsWith(TemplateVariables.ArtifactMetadataPrefix, StringComparison.Ordinal))
        {
            var key = name[TemplateVariables.ArtifactMetadataPrefix.Length..];
            if (key.Length == 0)
            {
                problems.Add(string.Empty, $"{where}: '${{{name}}}' has no metadata key: write '${{artifact_metadata.<KEY>}}' with a top-level metadata key.");
                return invalid;
            }

            return new TemplateSlot(TemplateSlotKind.Metadata, key);
        }

        if (name == "artifact_metadata")
        {
            problems.Add(string.Empty, $"{where}: '${{artifact_metadata}}' needs a key: write '${{artifact_metadata.<KEY>}}' with a top-level metadata key.");
            return invalid;
        }

        var kind = TemplateVariables.KindOf(name);
        if (kind != TemplateSlotKind.Invalid)
        {
            return new TemplateSlot(kind, null);
        }

        var suggestion = Suggest(name);
        if (TemplateVariables.IsValidSecretName(name))
        {
            if (name.Any(char.IsAsciiLetterLower))
            {
                if (suggestion is not null)
                {
                    problems.Add(string.Empty, $"{where}: unknown variable '${{{name}}}': did you mean '${{{suggestion}}}'? (Names this close to a variable are taken as typos, not secrets.)");
                    return invalid;
                }

                var prefix = s_reservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
                if (prefix is not null)
                {
                    problems.Add(string.Empty, $"{where}: unknown variable '${{{name}}}': names starting with '{prefix}' are reserved for variables ({string.Join(", ", TemplateVariables.All)}, artifact_metadata.<KEY>).");
                    return invalid;
                }
            }

            return new TemplateSlot(TemplateSlotKind.Secret, name);
        }

        var hint = suggestion is null ? string.Empty : $" Did you mean '${{{suggestion}}}'?";
        problems.Add(string.Empty, $"{where}: '${{{Shorten(name)}}}' is not a known variable nor a valid secret name (secret names use ASCII letters, digits and '_' only).{hint}");
        return invalid;
    }

    /// <summary>The variable a misspelt name most likely meant: within 1 edit for short names, 2 for longer ones.</summary>
    internal static string? Suggest(string name)
    {
        var normalized = name.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var variable in TemplateVariables.All.Append("artifact_metadata"))
        {
            var limit = variable.Length <= 5 ? 1 : 2;
            var distance = EditDistance(normalized, variable, limit);
            if (distance <= limit && distance < bestDistance)
            {
                best = variable;
                bestDistance = distance;
            }
        }

        return best == "artifact_metadata" ? "artifact_metadata.<KEY>" : best;
    }

    /// <summary>Levenshtein distance, giving up (returning <c>limit + 1</c>) once it must exceed <paramref name="limit"/>.</summary>
    private static int EditDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static void ValidateJson(byte[] utf8, string shadowText, List<int> map, LineMap lines, ValidationProblemCollector problems)
    {
        if (string.IsNullOrWhiteSpace(shadowText))
        {
            problems.Add(string.Empty, "the template is empty: it must be a JSON object, for example {\"text\": \"${event_type}\"}.");
            return;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var at = OriginalIndex((int)reader.TokenStartIndex, utf8, map);
                problems.Add(string.Empty, $"{lines.Describe(at)}: the template must be a JSON object at the top level, not {Describe(reader.TokenType)}.");
                return;
            }

            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            var offset = ByteOffset(utf8, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
            var at = OriginalIndex(offset, utf8, map);
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            // The reader's advice is about its own options, which a template author cannot change.
            message = message.Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal).TrimEnd();

            problems.Add(string.Empty, $"{lines.Describe(at)}: invalid JSON: {message}");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static int ByteOffset(byte[] utf8, long line, long bytePositionInLine)
    {
        var offset = 0;
        for (long l = 0; l < line && offset < utf8.Length; l++)
        {
            var next = Array.IndexOf(utf8, (byte)'\n', offset);
            if (next < 0)
            {
                break;
            }

            offset = next + 1;
        }

        return (int)Math.Min(utf8.Length, offset + bytePositionInLine);
    }

    private static int OriginalIndex(int byteOffset, byte[] utf8, List<int> map)
    {
        var charIndex = Encoding.UTF8.GetCharCount(utf8, 0, Math.Clamp(byteOffset, 0, utf8.Length));
        return map[Math.Min(charIndex, map.Count - 1)];
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    /// <summary>Turns an index in the template into "line L, column C" (both 1-based; columns count UTF-16 chars).</summary>
    private sealed class LineMap(string text)
    {
        private int[]? _lineStarts;

        public string Describe(int index)
        {
            _lineStarts ??= BuildLineStarts(text);
            var line = Array.BinarySearch(_lineStarts, index);
            if (line < 0)
            {
                line = ~line - 1;
            }

            var column = index - _lineStarts[line] + 1;
            return string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {column}");
        }

        private static int[] BuildLineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var k = 0; k < text.Length; k++)
            {
                if (text[k] == '\n')
                {
                    starts.Add(k + 1);
                }
            }

            return [.. starts];
        }
    }
}
