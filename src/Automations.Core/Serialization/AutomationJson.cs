using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Serialization;

/// <summary>
/// A versioned JSON form of the domain (<see cref="Automation"/> with its trigger, scope, filter and action, and
/// <see cref="ArtifactEvent"/> with its container, version and metadata), used by durable stores to keep
/// snapshots. Every document carries <c>"v":1</c>; reading validates everything through the domain constructors
/// and reports every problem at once as an <see cref="AutomationValidationException"/> whose paths name the
/// offending JSON member (for example <c>trigger.scope.entity</c>). Writing then reading gives an equal value.
/// </summary>
/// <remarks>
/// Times are written as ISO 8601 round-trip text (<c>2026-11-27T10:00:00.0000000+00:00</c>); enums by their wire
/// names (<c>LINK_ARTIFACT</c>, <c>PROJECT</c>, <c>INFO</c>); custom actions keep their configuration object as
/// is. Unknown members are ignored, so later versions may add optional members without a new format version.
/// </remarks>
public static class AutomationJson
{
    /// <summary>The format version written in every document's <c>"v"</c> member.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Writes an automation as JSON text.</summary>
    /// <param name="automation">The automation.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(Automation automation)
    {
        ArgumentNullException.ThrowIfNull(automation);
        return WriteToString(w => Write(w, automation));
    }

    /// <summary>Writes an event as JSON text.</summary>
    /// <param name="artifactEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(ArtifactEvent artifactEvent)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        return WriteToString(w => Write(w, artifactEvent));
    }

    /// <summary>Writes an automation as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="automation">The automation.</param>
    public static void Write(Utf8JsonWriter writer, Automation automation)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(automation);
        writer.WriteStartObject();
        writer.WriteNumber("v", FormatVersion);
        writer.WriteString("id", automation.Id);
        writer.WriteString("name", automation.Name);
        if (automation.Description is not null)
        {
            writer.WriteString("description", automation.Description);
        }

        writer.WriteBoolean("enabled", automation.Enabled);
        writer.WriteString("createdAt", FormatTime(automation.CreatedAt));
        writer.WriteString("updatedAt", FormatTime(automation.UpdatedAt));
        writer.WritePropertyName("trigger");
        WriteTrigger(writer, automation.Trigger);
        writer.WritePropertyName("action");
        WriteAction(writer, automation.Action);
        writer.WriteEndObject();
    }

    /// <summary>Writes an event as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="artifactEvent">The event.</param>
    public static void Write(Utf8JsonWriter writer, ArtifactEvent artifactEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(artifactEvent);
        writer.WriteStartObject();
        writer.WriteNumber("v", FormatVersion);
        writer.WriteString("eventId", artifactEvent.EventId);
        writer.WriteString("type", artifactEvent.Type.ToWireName());
        writer.WritePropertyName("container");
        WriteContainer(writer, artifactEvent.Container);
        writer.WriteString("collection", artifactEvent.Collection);
        writer.WritePropertyName("version");
        WriteVersion(writer, artifactEvent.Version);
        writer.WriteString("author", artifactEvent.Author);
        writer.WriteString("occurredAt", FormatTime(artifactEvent.OccurredAt));
        if (artifactEvent.Alias is not null)
        {
            writer.WriteString("alias", artifactEvent.Alias);
        }

        if (artifactEvent.Tag is not null)
        {
            writer.WriteString("tag", artifactEvent.Tag);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an automation from JSON text.</summary>
    /// <param name="json">The JSON text written by <see cref="Serialize(Automation)"/>.</param>
    /// <returns>The automation.</returns>
    /// <exception cref="AutomationValidationException">The text is not JSON, has another format version, or describes an invalid automation (every problem listed with its path).</exception>
    public static Automation DeserializeAutomation(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        return ReadAutomation(document.RootElement);
    }

    /// <summary>Reads an event from JSON text.</summary>
    /// <param name="json">The JSON text written by <see cref="Serialize(ArtifactEvent)"/>.</param>
    /// <returns>The event.</returns>
    /// <exception cref="AutomationValidationException">The text is not JSON, has another format version, or describes an invalid event (every problem listed with its path).</exception>
    public static ArtifactEvent DeserializeEvent(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        return ReadEvent(document.RootElement);
    }

    /// <summary>Reads an automation from a JSON value.</summary>
    /// <param name="json">A JSON object written by <see cref="Write(Utf8JsonWriter, Automation)"/>.</param>
    /// <returns>The automation.</returns>
    /// <exception cref="AutomationValidationException">The value has another format version or describes an invalid automation (every problem listed with its path).</exception>
    public static Automation ReadAutomation(JsonElement json)
    {
        var problems = new ValidationProblemCollector();
        var reader = new ObjectReader(json, string.Empty, problems, "An automation");
        reader.CheckVersion();
        var id = reader.String("id");
        var name = reader.String("name");
        var description = reader.OptionalString("description");
        var enabled = reader.OptionalBoolean("enabled") ?? true;
        var createdAt = reader.Time("createdAt");
        var updatedAt = reader.Time("updatedAt");
        var trigger = reader.Object("trigger") is { } t ? ReadTrigger(t, problems) : null;
        var action = reader.Object("action") is { } a ? ReadAction(a, problems) : null;
        problems.ThrowIfInvalid();
        var automation = Construct(problems, string.Empty, () => new Automation(id!, name!, trigger!, action!, createdAt!.Value, updatedAt!.Value, description, enabled));
        problems.ThrowIfInvalid();
        return automation!;
    }

    /// <summary>Reads an event from a JSON value.</summary>
    /// <param name="json">A JSON object written by <see cref="Write(Utf8JsonWriter, ArtifactEvent)"/>.</param>
    /// <returns>The event.</returns>
    /// <exception cref="AutomationValidationException">The value has another format version or describes an invalid event (every problem listed with its path).</exception>
    public static ArtifactEvent ReadEvent(JsonElement json)
    {
        var problems = new ValidationProblemCollector();
        var reader = new ObjectReader(json, string.Empty, problems, "An event");
        reader.CheckVersion();
        var eventId = reader.String("eventId");
        var type = reader.EventType("type");
        var container = reader.Object("container") is { } c ? ReadContainer(c, problems) : null;
        var collection = reader.String("collection");
        var version = reader.Object("version") is { } v ? ReadVersion(v, problems) : null;
        var author = reader.String("author");
        var occurredAt = reader.Time("occurredAt");
        var alias = reader.OptionalString("alias");
        var tag = reader.OptionalString("tag");
        problems.ThrowIfInvalid();
        var artifactEvent = Construct(problems, string.Empty, () => new ArtifactEvent(eventId!, type!.Value, container!, collection!, version!, author!, occurredAt!.Value, alias, tag));
        problems.ThrowIfInvalid();
        return artifactEvent!;
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw new AutomationValidationException(string.Empty, "The text is not valid JSON: " + ex.Message);
        }
    }

    private static string WriteToString(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string FormatTime(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static void WriteTrigger(Utf8JsonWriter writer, AutomationTrigger trigger)
    {
        writer.WriteStartObject();
        writer.WriteString("eventType", trigger.EventType.ToWireName());
        writer.WritePropertyName("scope");
        WriteScope(writer, trigger.Scope);
        if (trigger.Collection is not null)
        {
            writer.WriteString("collection", trigger.Collection);
        }

        writer.WritePropertyName("filter");
        trigger.Filter.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteScope(Utf8JsonWriter writer, AutomationScope scope)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", ScopeKindName(scope.Kind));
        writer.WriteString("entity", scope.Entity);
        if (scope.Container is { } container)
        {
            writer.WriteString("container", container.Name);
            writer.WriteString("containerKind", ContainerKindName(container.Kind));
        }

        if (scope.Collection is not null)
        {
            writer.WriteString("collection", scope.Collection);
        }

        writer.WriteEndObject();
    }

    private static void WriteContainer(Utf8JsonWriter writer, ArtifactContainer container)
    {
        writer.WriteStartObject();
        writer.WriteString("entity", container.Entity);
        writer.WriteString("name", container.Name);
        writer.WriteString("kind", ContainerKindName(container.Kind));
        writer.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter writer, ArtifactVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("id", version.Id);
        writer.WriteString("artifactName", version.ArtifactName);
        writer.WriteString("version", version.Version);
        writer.WriteStartArray("aliases");
        foreach (var alias in version.Aliases)
        {
            writer.WriteStringValue(alias);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("tags");
        foreach (var tag in version.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in version.Metadata)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAction(Utf8JsonWriter writer, AutomationAction action)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", action.Kind);
        switch (action)
        {
            case WebhookAction webhook:
                writer.WriteString("integrationId", webhook.IntegrationId);
                writer.WriteString("payloadTemplate", webhook.PayloadTemplate);
                break;
            case LaunchJobAction job:
                writer.WriteString("job", job.Job);
                writer.WriteString("queue", job.QueueName);
                if (job.JobVersion is not null)
                {
                    writer.WriteString("jobVersion", job.JobVersion);
                }

                if (job.Overrides is { } overrides)
                {
                    writer.WritePropertyName("overrides");
                    overrides.WriteTo(writer);
                }

                if (job.DestinationProject is { } destination)
                {
                    writer.WritePropertyName("destinationProject");
                    WriteContainer(writer, destination);
                }

                break;
            case NotificationAction notification:
                writer.WriteString("integrationId", notification.IntegrationId);
                writer.WriteString("title", notification.Title);
                writer.WriteString("message", notification.Message);
                writer.WriteString("severity", SeverityName(notification.Severity));
                break;
            case NoOpAction:
                break;
            case CustomAction custom:
                writer.WriteString("name", custom.ActionName);
                writer.WritePropertyName("configuration");
                custom.Configuration.WriteTo(writer);
                break;
            default:
                throw new ArgumentException($"Action type {action.GetType().Name} has no JSON form.", nameof(action));
        }

        writer.WriteEndObject();
    }

    private static AutomationTrigger? ReadTrigger(ObjectReader reader, ValidationProblemCollector problems)
    {
        var eventType = reader.EventType("eventType");
        var scope = reader.Object("scope") is { } s ? ReadScope(s, problems) : null;
        var collection = reader.OptionalString("collection");
        EventFilter? filter = null;
        if (reader.Member("filter") is { } f)
        {
            filter = Construct(problems, ValidationProblemCollector.Combine(reader.Path, "filter"), () => EventFilter.Parse(f));
            if (filter is null)
            {
                return null;
            }
        }

        if (eventType is null || scope is null || !problems.IsValid)
        {
            return null;
        }

        return Construct(problems, reader.Path, () => new AutomationTrigger(eventType.Value, scope, filter, collection));
    }

    private static AutomationScope? ReadScope(ObjectReader reader, ValidationProblemCollector problems)
    {
        var kindText = reader.String("kind");
        var entity = reader.String("entity");
        var kind = kindText switch
        {
            null => (AutomationScopeKind?)null,
            "ENTITY" => AutomationScopeKind.Entity,
            "PROJECT" => AutomationScopeKind.Project,
            "REGISTRY" => AutomationScopeKind.Registry,
            "COLLECTION" => AutomationScopeKind.Collection,
            _ => reader.Invalid<AutomationScopeKind?>("kind", $"Unknown scope kind '{kindText}'; use ENTITY, PROJECT, REGISTRY or COLLECTION."),
        };

        string? container = null;
        ArtifactContainerKind? containerKind = null;
        string? collection = null;
        if (kind is AutomationScopeKind.Project or AutomationScopeKind.Registry or AutomationScopeKind.Collection)
        {
            container = reader.String("container");
        }

        if (kind is AutomationScopeKind.Collection)
        {
            containerKind = reader.ContainerKind("containerKind");
            collection = reader.String("collection");
        }

        if (kind is null || entity is null || !problems.IsValid)
        {
            return null;
        }

        return Construct(problems, reader.Path, () => kind.Value switch
        {
            AutomationScopeKind.Entity => AutomationScope.ForEntity(entity),
            AutomationScopeKind.Project => AutomationScope.ForProject(entity, container!),
            AutomationScopeKind.Registry => AutomationScope.ForRegistry(entity, container!),
            _ => AutomationScope.ForCollection(new ArtifactContainer(entity, container!, containerKind!.Value), collection!),
        });
    }

    private static ArtifactContainer? ReadContainer(ObjectReader reader, ValidationProblemCollector problems)
    {
        var entity = reader.String("entity");
        var name = reader.String("name");
        var kind = reader.ContainerKind("kind");
        if (entity is null || name is null || kind is null)
        {
            return null;
        }

        return Construct(problems, reader.Path, () => new ArtifactContainer(entity, name, kind.Value));
    }

    private static ArtifactVersion? ReadVersion(ObjectReader reader, ValidationProblemCollector problems)
    {
        var id = reader.String("id");
        var artifactName = reader.String("artifactName");
        var version = reader.String("version");
        var aliases = reader.OptionalStrings("aliases");
        var tags = reader.OptionalStrings("tags");
        Dictionary<string, JsonElement>? metadata = null;
        if (reader.Object("metadata", required: false) is { } m)
        {
            metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in m.Element.EnumerateObject())
            {
                metadata[property.Name] = property.Value;
            }
        }

        if (id is null || artifactName is null || version is null)
        {
            return null;
        }

        return Construct(problems, reader.Path, () => new ArtifactVersion(id, artifactName, version, aliases, tags, metadata));
    }

    private static AutomationAction? ReadAction(ObjectReader reader, ValidationProblemCollector problems)
    {
        var kind = reader.String("kind");
        switch (kind)
        {
            case null:
                return null;
            case ActionKinds.Webhook:
            {
                var integrationId = reader.String("integrationId");
                var template = reader.String("payloadTemplate");
                return integrationId is null || template is null ? null : Construct<AutomationAction>(problems, reader.Path, () => new WebhookAction(integrationId, template));
            }

            case ActionKinds.LaunchJob:
            {
                var job = reader.String("job");
                var queue = reader.String("queue");
                var jobVersion = reader.OptionalString("jobVersion");
                var overrides = reader.Member("overrides");
                var destination = reader.Object("destinationProject", required: false) is { } d ? ReadContainer(d, problems) : null;
                return job is null || queue is null || !problems.IsValid ? null : Construct<AutomationAction>(problems, reader.Path, () => new LaunchJobAction(job, queue, jobVersion, overrides, destination));
            }

            case ActionKinds.Notification:
            {
                var integrationId = reader.String("integrationId");
                var title = reader.String("title");
                var message = reader.String("message");
                var severityText = reader.OptionalString("severity");
                var severity = severityText switch
                {
                    null or "INFO" => NotificationSeverity.Info,
                    "WARN" => NotificationSeverity.Warn,
                    "ERROR" => NotificationSeverity.Error,
                    _ => reader.Invalid<NotificationSeverity>("severity", $"Unknown severity '{severityText}'; use INFO, WARN or ERROR."),
                };
                return integrationId is null || title is null || message is null ? null : Construct<AutomationAction>(problems, reader.Path, () => new NotificationAction(integrationId, title, message, severity));
            }

            case ActionKinds.NoOp:
                return NoOpAction.Instance;
            default:
            {
                var name = reader.OptionalString("name");
                var configuration = reader.Member("configuration");
                if (configuration is null)
                {
                    reader.Invalid<object>("configuration", "A custom action needs a configuration object.");
                    return null;
                }

                return Construct<AutomationAction>(problems, reader.Path, () => new CustomAction(kind, configuration.Value, name));
            }
        }
    }

    private static T? Construct<T>(ValidationProblemCollector problems, string path, Func<T> create)
        where T : class
    {
        try
        {
            return create();
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange(path, ex.Problems);
            return null;
        }
    }

    private static string ScopeKindName(AutomationScopeKind kind) => kind switch
    {
        AutomationScopeKind.Entity => "ENTITY",
        AutomationScopeKind.Project => "PROJECT",
        AutomationScopeKind.Registry => "REGISTRY",
        _ => "COLLECTION",
    };

    private static string ContainerKindName(ArtifactContainerKind kind) => kind == ArtifactContainerKind.Registry ? "REGISTRY" : "PROJECT";

    private static string SeverityName(NotificationSeverity severity) => severity switch
    {
        NotificationSeverity.Warn => "WARN",
        NotificationSeverity.Error => "ERROR",
        _ => "INFO",
    };

    /// <summary>Reads members of one JSON object, adding a problem (with its path) for each missing or mistyped one.</summary>
    private readonly struct ObjectReader
    {
        private readonly ValidationProblemCollector _problems;

        public ObjectReader(JsonElement element, string path, ValidationProblemCollector problems, string what)
        {
            Element = element;
            Path = path;
            _problems = problems;
            IsObject = element.ValueKind == JsonValueKind.Object;
            if (!IsObject)
            {
                problems.Add(path, $"{what} must be a JSON object (got {element.ValueKind}).");
            }
        }

        public JsonElement Element { get; }

        public string Path { get; }

        private bool IsObject { get; }

        public void CheckVersion()
        {
            if (!IsObject)
            {
                return;
            }

            if (!Element.TryGetProperty("v", out var v))
            {
                _problems.Add(At("v"), $"The format version is missing; expected {FormatVersion}.");
            }
            else if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != FormatVersion)
            {
                _problems.Add(At("v"), $"Unsupported format version {v.GetRawText()}; this library reads version {FormatVersion}.");
            }
        }

        public JsonElement? Member(string name)
            => IsObject && Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        public string? String(string name)
        {
            if (!IsObject)
            {
                return null;
            }

            var value = Member(name);
            if (value is null)
            {
                _problems.Add(At(name), $"'{name}' is required.");
                return null;
            }

            return AsString(name, value.Value);
        }

        public string? OptionalString(string name) => Member(name) is { } value ? AsString(name, value) : null;

        public bool? OptionalBoolean(string name)
        {
            if (Member(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            _problems.Add(At(name), $"'{name}' must be true or false (got {value.ValueKind}).");
            return null;
        }

        public List<string>? OptionalStrings(string name)
        {
            if (Member(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                _problems.Add(At(name), $"'{name}' must be an array of strings (got {value.ValueKind}).");
                return null;
            }

            var list = new List<string>(value.GetArrayLength());
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(item.GetString()!);
                }
                else
                {
                    _problems.Add($"{At(name)}[{i}]", $"Must be a string (got {item.ValueKind}).");
                }

                i++;
            }

            return list;
        }

        public DateTimeOffset? Time(string name)
        {
            var text = String(name);
            if (text is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
            {
                return value;
            }

            _problems.Add(At(name), $"'{name}' must be an ISO 8601 time such as 2026-11-27T10:00:00+00:00.");
            return null;
        }

        public ArtifactEventType? EventType(string name)
        {
            var text = String(name);
            if (text is null)
            {
                return null;
            }

            if (ArtifactEventTypes.TryParse(text, out var type))
            {
                return type;
            }

            _problems.Add(At(name), $"Unknown event type '{text}'; use one of {string.Join(", ", ArtifactEventTypes.Values.Select(t => t.ToWireName()))}.");
            return null;
        }

        public ArtifactContainerKind? ContainerKind(string name)
        {
            var text = String(name);
            return text switch
            {
                null => null,
                "PROJECT" => ArtifactContainerKind.Project,
                "REGISTRY" => ArtifactContainerKind.Registry,
                _ => Invalid<ArtifactContainerKind?>(name, $"Unknown container kind '{text}'; use PROJECT or REGISTRY."),
            };
        }

        public ObjectReader? Object(string name, bool required = true)
        {
            if (!IsObject)
            {
                return null;
            }

            var value = Member(name);
            if (value is null)
            {
                if (required)
                {
                    _problems.Add(At(name), $"'{name}' is required.");
                }

                return null;
            }

            var reader = new ObjectReader(value.Value, At(name), _problems, $"'{name}'");
            return reader.IsObject ? reader : null;
        }

        public T? Invalid<T>(string name, string message)
        {
            _problems.Add(At(name), message);
            return default;
        }

        private string? AsString(string name, JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            _problems.Add(At(name), $"'{name}' must be a string (got {value.ValueKind}).");
            return null;
        }

        private string At(string name) => ValidationProblemCollector.Combine(Path, name);
    }
}
