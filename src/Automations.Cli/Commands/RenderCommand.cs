using System.CommandLine;
using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Templates;

namespace Automations.Cli.Commands;

/// <summary>
/// <c>automations render --template &lt;path&gt; [--vars &lt;JSON|path&gt;] [--secret NAME=VALUE|NAME]...</c>: renders a payload
/// template and prints the payload. Any template or input problem goes to standard error with exit code 2.
/// </summary>
internal static class RenderCommand
{
    private const string ArtifactIdKey = "artifact_id";
    private const string MetadataKey = "artifact_metadata";

    private static readonly string[] s_textKeys =
    [
        TemplateVariables.EventType, TemplateVariables.EventAuthor, TemplateVariables.ArtifactVersion,
        TemplateVariables.ArtifactVersionString, TemplateVariables.ArtifactCollectionName, TemplateVariables.ProjectName,
        TemplateVariables.EntityName, TemplateVariables.Alias, TemplateVariables.Tag, ArtifactIdKey,
    ];

    public static Command Create(CliContext context)
    {
        var template = new Option<string>("--template")
        {
            Description = "Path of the payload template: a JSON object with ${name} placeholders.",
            Required = true,
        };
        var vars = new Option<string?>("--vars")
        {
            Description = "The event's values as a flat JSON object (inline or a file path): event_type, event_author, "
                + "artifact_id (or artifact_version, used as is), artifact_version_string, artifact_collection_name, "
                + "project_name, entity_name, alias, tag, and artifact_metadata as a nested object.",
        };
        var secrets = new Option<string[]>("--secret")
        {
            Description = "A secret for ${NAME}: NAME=VALUE, or NAME alone to read the environment variable NAME. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("render", "Render a payload template with event values and secrets; prints the JSON payload.");
        command.Options.Add(template);
        command.Options.Add(vars);
        command.Options.Add(secrets);
        command.SetAction(async (parse, ct) =>
        {
            var problems = new ValidationProblemCollector();
            var (templateContext, reference) = ReadVars(parse.GetValue(vars), problems);
            var secretValues = ReadSecrets(parse.GetValue(secrets) ?? [], problems);
            var compiled = ReadTemplate(parse.GetValue(template)!, reference, problems);

            string? payload = null;
            if (problems.IsValid)
            {
                try
                {
                    payload = compiled!.RenderToString(templateContext!, secretValues);
                }
                catch (AutomationValidationException ex)
                {
                    problems.AddRange(string.Empty, ex.Problems);
                }
            }

            if (payload is null)
            {
                foreach (var problem in problems.Problems)
                {
                    await context.Error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
                }

                return CliApp.Usage;
            }

            await context.Out.WriteLineAsync(payload).ConfigureAwait(false);
            return CliApp.Ok;
        });
        return command;
    }

    private static PayloadTemplate? ReadTemplate(string path, string? reference, ValidationProblemCollector problems)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problems.Add("--template", $"cannot read '{path}': {ex.Message}");
            return null;
        }

        var options = reference is null
            ? PayloadTemplateOptions.Default
            : new PayloadTemplateOptions { ArtifactReferenceFormatter = new FixedReference(reference) };
        if (PayloadTemplate.TryParse(text, options, out var compiled, out var found))
        {
            return compiled;
        }

        problems.AddRange("template", found);
        return null;
    }

    private static (TemplateContext? Context, string? Reference) ReadVars(string? valueOrPath, ValidationProblemCollector problems)
    {
        if (valueOrPath is null)
        {
            return (new TemplateContext(), null);
        }

        JsonElement root;
        try
        {
            root = JsonInput.Read(valueOrPath);
        }
        catch (FormatException ex)
        {
            problems.Add("--vars", ex.Message);
            return (null, null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("--vars", "must be a JSON object of variable values.");
            return (null, null);
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, JsonElement> metadata = new Dictionary<string, JsonElement>();
        var before = problems.Problems.Count;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var path = "vars." + property.Name;
            if (!seen.Add(property.Name))
            {
                problems.Add(path, "is given more than once.");
            }
            else if (property.Name == MetadataKey)
            {
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    metadata = ReadMetadata(property.Value, path, problems);
                }
                else
                {
                    problems.Add(path, "must be a JSON object of top-level metadata keys.");
                }
            }
            else if (Array.IndexOf(s_textKeys, property.Name) < 0)
            {
                problems.Add(path, $"unknown variable; known: {string.Join(", ", s_textKeys)}, {MetadataKey}.");
            }
            else if (property.Value.ValueKind == JsonValueKind.String)
            {
                texts[property.Name] = property.Value.GetString()!;
            }
            else if (property.Value.ValueKind == JsonValueKind.Null && property.Name is TemplateVariables.Alias or TemplateVariables.Tag)
            {
                texts[property.Name] = string.Empty;
            }
            else
            {
                problems.Add(path, "must be a string.");
            }
        }

        if (texts.ContainsKey(ArtifactIdKey) && texts.ContainsKey(TemplateVariables.ArtifactVersion))
        {
            problems.Add("vars", "give either artifact_id (formatted as a W&B reference) or artifact_version (used as is), not both.");
        }

        if (problems.Problems.Count > before)
        {
            return (null, null);
        }

        string Text(string key) => texts.GetValueOrDefault(key, string.Empty);
        var context = new TemplateContext
        {
            EventType = Text(TemplateVariables.EventType),
            EventAuthor = Text(TemplateVariables.EventAuthor),
            ArtifactId = Text(ArtifactIdKey),
            ArtifactVersionString = Text(TemplateVariables.ArtifactVersionString),
            ArtifactCollectionName = Text(TemplateVariables.ArtifactCollectionName),
            ProjectName = Text(TemplateVariables.ProjectName),
            EntityName = Text(TemplateVariables.EntityName),
            Alias = Text(TemplateVariables.Alias),
            Tag = Text(TemplateVariables.Tag),
            ArtifactMetadata = metadata,
        };
        return (context, texts.GetValueOrDefault(TemplateVariables.ArtifactVersion));
    }

    private static Dictionary<string, JsonElement> ReadMetadata(JsonElement value, string path, ValidationProblemCollector problems)
    {
        var metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (!metadata.TryAdd(entry.Name, entry.Value))
            {
                problems.Add(path + "." + entry.Name, "is given more than once.");
            }
        }

        return metadata;
    }

    private static TemplateSecrets? ReadSecrets(string[] entries, ValidationProblemCollector problems)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var before = problems.Problems.Count;
        for (var index = 0; index < entries.Length; index++)
        {
            var entry = entries[index];
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? entry : entry[..equals];
            if (!TemplateVariables.IsValidSecretName(name))
            {
                // Never echo the entry: it may hold the value.
                problems.Add("--secret", $"entry {index + 1} is not NAME=VALUE or NAME with a secret name of ASCII letters, digits and '_' (the entry is not shown: it may hold a value).");
                continue;
            }

            var value = equals < 0 ? Environment.GetEnvironmentVariable(name) : entry[(equals + 1)..];
            if (value is null)
            {
                problems.Add("--secret", $"'{name}' has no value: the environment variable {name} is not set (or write {name}=VALUE).");
                continue;
            }

            pairs.Add(new(name, value));
        }

        if (problems.Problems.Count > before)
        {
            return null;
        }

        try
        {
            return TemplateSecrets.Create(pairs);
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange("--secret", ex.Problems.Select(p => p with { Path = string.Empty }));
            return null;
        }
    }

    /// <summary>Renders <c>${artifact_version}</c> as the reference given in <c>--vars</c>.</summary>
    private sealed class FixedReference(string reference) : IArtifactReferenceFormatter
    {
        public string Format(string artifactId) => reference;
    }
}
