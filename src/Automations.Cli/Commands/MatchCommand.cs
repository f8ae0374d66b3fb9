using System.CommandLine;
using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Domain.Filters;

namespace Automations.Cli.Commands;

/// <summary>
/// <c>automations match --filter &lt;JSON|path&gt; --vars &lt;JSON|path&gt;</c>: tells whether an event with the given
/// fields passes a W&amp;B event filter. Prints <c>match</c> (exit 0) or <c>no match</c> (exit 1); an invalid filter or
/// invalid vars print every problem, one <c>path: message</c> per line, to standard error (exit 2).
/// </summary>
internal static class MatchCommand
{
    private const string FilterPrefix = "filter";
    private const string VarsPrefix = "vars";

    public static Command Create(CliContext context)
    {
        var filterOption = new Option<string>("--filter")
        {
            Description = "The event filter: inline JSON such as '{\"alias\":{\"$regex\":\"^prod\"}}' or the path of a file holding it.",
            Required = true,
        };
        var varsOption = new Option<string>("--vars")
        {
            Description = "The event's fields as a flat JSON object (inline or a file path): "
                + "'{\"alias\":\"prod\",\"tag\":[\"a\",\"b\"],\"collection\":\"my-model\"}'. "
                + "alias and tag take a string or an array of strings; collection takes a string.",
            Required = true,
        };

        var command = new Command("match", "Check whether an event (its aliases, tags and collection) passes a W&B event filter. Exit 0: match, 1: no match, 2: invalid input.")
        {
            filterOption,
            varsOption,
        };

        command.SetAction(async (parse, ct) =>
        {
            var problems = new ValidationProblemCollector();
            var filter = ReadFilter(parse.GetValue(filterOption)!, problems);
            var subject = ReadVars(parse.GetValue(varsOption)!, problems);

            if (!problems.IsValid)
            {
                foreach (var problem in problems.Problems)
                {
                    await context.Error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
                }

                return CliApp.Usage;
            }

            var matched = filter!.Matches(subject);
            await context.Out.WriteLineAsync(matched ? "match" : "no match").ConfigureAwait(false);
            return matched ? CliApp.Ok : CliApp.Negative;
        });
        return command;
    }

    private static EventFilter? ReadFilter(string value, ValidationProblemCollector problems)
    {
        if (!JsonInput.TryRead(value, out var json, out var error))
        {
            problems.Add(FilterPrefix, error);
            return null;
        }

        if (EventFilter.TryParse(json, out var filter, out var filterProblems))
        {
            return filter;
        }

        problems.AddRange(FilterPrefix, filterProblems);
        return null;
    }

    /// <summary>Reads <c>--vars</c>: a flat object with <c>alias</c>, <c>tag</c> (string or array of strings) and <c>collection</c> (string); <c>null</c> means absent.</summary>
    internal static FilterSubject ReadVars(string value, ValidationProblemCollector problems)
    {
        if (!JsonInput.TryRead(value, out var json, out var error))
        {
            problems.Add(VarsPrefix, error);
            return default;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            problems.Add(VarsPrefix, "Not valid JSON: " + ex.Message);
            return default;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(VarsPrefix, "Expected a JSON object of event fields such as {\"alias\": \"prod\"}.");
                return default;
            }

            string[]? aliases = null;
            string[]? tags = null;
            string? collection = null;
            var before = problems.Problems.Count;
            try
            {
                ReadFields(root, ref aliases, ref tags, ref collection, problems);
            }
            catch (InvalidOperationException)
            {
                problems.Add(VarsPrefix, "A key or value is not valid UTF-16 text (it contains an unpaired surrogate escape).");
            }

            return problems.Problems.Count == before ? new FilterSubject(aliases, tags, collection) : default;
        }
    }

    private static void ReadFields(JsonElement root, ref string[]? aliases, ref string[]? tags, ref string? collection, ValidationProblemCollector problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var path = ValidationProblemCollector.Combine(VarsPrefix, property.Name);
            if (!seen.Add(property.Name))
            {
                problems.Add(path, "This field appears more than once.");
                continue;
            }

            switch (property.Name)
            {
                case "alias":
                    aliases = ReadValues(property.Value, path, problems);
                    break;
                case "tag":
                    tags = ReadValues(property.Value, path, problems);
                    break;
                case "collection":
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        collection = property.Value.GetString();
                    }
                    else if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        problems.Add(path, "Expected a string (or null for none).");
                    }

                    break;
                default:
                    problems.Add(path, $"Unknown event field '{property.Name}'. The fields are alias, tag and collection.");
                    break;
            }
        }
    }

    private static string[]? ReadValues(JsonElement value, string path, ValidationProblemCollector problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
                var values = new List<string>();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        values.Add(item.GetString()!);
                    }
                    else
                    {
                        problems.Add($"{path}[{i}]", "Expected a string.");
                    }

                    i++;
                }

                return [.. values];
            default:
                problems.Add(path, "Expected a string or an array of strings (or null for none).");
                return null;
        }
    }
}
