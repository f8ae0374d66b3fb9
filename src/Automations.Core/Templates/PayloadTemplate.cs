using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Automations.Core.Domain;

namespace Automations.Core.Templates;

/// <summary>
/// A compiled webhook payload template: JSON text with <c>${name}</c> placeholders, validated once by
/// <see cref="Parse(string, PayloadTemplateOptions?)"/> and rendered many times. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// A placeholder is a fixed variable (<see cref="TemplateVariables"/>), <c>${artifact_metadata.&lt;KEY&gt;}</c>, or a
/// secret name. Inside a JSON string it is replaced by its JSON-escaped value (several per string, mixed with text);
/// outside a string it becomes a whole JSON string (<c>{"n": ${tag}}</c> renders <c>{"n": "v1"}</c>). A value is
/// inserted verbatim and never expanded again. The rendered payload is always valid JSON.
/// </para>
/// <para>
/// Secret values are never stored in the template: it exposes <see cref="SecretNames"/> so the caller fetches only
/// those (see <see cref="FetchSecretsAsync"/>) and passes them to <c>Render</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var template = PayloadTemplate.Parse("""{"text": "New version: ${artifact_version_string}", "token": "${SLACK_TOKEN}"}""");
/// var secrets = await template.FetchSecretsAsync(teamSecrets, ct);
/// var writer = new ArrayBufferWriter&lt;byte&gt;();
/// template.Render(context, secrets, writer); // writer.WrittenSpan is the UTF-8 body
/// </code>
/// </example>
public sealed class PayloadTemplate
{
    private readonly byte[] _literals;
    private readonly int[] _bounds;
    private readonly TemplateSlot[] _slots;
    private readonly string[] _secretNames;
    private readonly IArtifactReferenceFormatter? _customFormatter;
    private readonly int _sizeHint;

    private PayloadTemplate(string text, PayloadTemplateOptions options, CompiledTemplateParts parts)
    {
        Text = text;
        _literals = parts.Literals;
        _bounds = parts.SegmentBounds;
        _slots = parts.Slots;
        _secretNames = parts.SecretNames;
        _customFormatter = ReferenceEquals(options.ArtifactReferenceFormatter, WandbArtifactReferenceFormatter.Instance)
            ? null
            : options.ArtifactReferenceFormatter;
        _sizeHint = _literals.Length + (32 * _slots.Length);
        Variables = Array.AsReadOnly(parts.Variables);
        MetadataKeys = Array.AsReadOnly(parts.MetadataKeys);
        SecretNames = Array.AsReadOnly(parts.SecretNames);
    }

    /// <summary>The template text as given.</summary>
    public string Text { get; }

    /// <summary>The fixed variables the template uses (for example <c>event_author</c>), distinct, in order of first use.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>The top-level metadata keys read by <c>${artifact_metadata.&lt;KEY&gt;}</c>, distinct, in order of first use.</summary>
    public IReadOnlyList<string> MetadataKeys { get; }

    /// <summary>The secrets the template references, distinct, in order of first use: fetch only these.</summary>
    public IReadOnlyList<string> SecretNames { get; }

    /// <summary>How many placeholders the template has (each occurrence counts).</summary>
    public int PlaceholderCount => _slots.Length;

    /// <summary>Parses and validates a template.</summary>
    /// <param name="text">The template: a JSON object with <c>${name}</c> placeholders.</param>
    /// <param name="options">Options; <see langword="null"/> for <see cref="PayloadTemplateOptions.Default"/>.</param>
    /// <returns>The compiled template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">The template is invalid; every problem is listed with its line and column.</exception>
    public static PayloadTemplate Parse(string text, PayloadTemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= PayloadTemplateOptions.Default;
        var problems = new ValidationProblemCollector();
        var parts = TemplateParser.Parse(text, options, problems);
        problems.ThrowIfInvalid();
        return new PayloadTemplate(text, options, parts!);
    }

    /// <summary>Parses and validates a template without throwing for invalid input.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="template">The compiled template when valid.</param>
    /// <param name="problems">Every problem found (empty when valid).</param>
    /// <returns><see langword="true"/> when the template is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool TryParse(string text, [NotNullWhen(true)] out PayloadTemplate? template, out IReadOnlyList<ValidationProblem> problems)
        => TryParse(text, null, out template, out problems);

    /// <summary>Parses and validates a template with options, without throwing for invalid input.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="options">Options; <see langword="null"/> for <see cref="PayloadTemplateOptions.Default"/>.</param>
    /// <param name="template">The compiled template when valid.</param>
    /// <param name="problems">Every problem found (empty when valid).</param>
    /// <returns><see langword="true"/> when the template is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static bool TryParse(string text, PayloadTemplateOptions? options, [NotNullWhen(true)] out PayloadTemplate? template, out IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= PayloadTemplateOptions.Default;
        var collector = new ValidationProblemCollector();
        var parts = TemplateParser.Parse(text, options, collector);
        problems = collector.Problems;
        template = parts is null ? null : new PayloadTemplate(text, options, parts);
        return template is not null;
    }

    /// <summary>
    /// Renders the payload as UTF-8 into <paramref name="destination"/>. Allocates nothing with the default artifact
    /// reference format. Referenced secrets are checked before anything is written, so a missing secret leaves the
    /// destination untouched.
    /// </summary>
    /// <param name="context">The event's values.</param>
    /// <param name="secrets">The secret values (at least <see cref="SecretNames"/>); may be <see langword="null"/> when the template uses none.</param>
    /// <param name="destination">Receives the payload bytes (appended).</param>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">A referenced secret is not available; the message names it, never a value.</exception>
    public void Render(TemplateContext context, ITemplateSecretLookup? secrets, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        if (_secretNames.Length != 0)
        {
            EnsureSecrets(secrets);
        }

        var sink = new Utf8Sink(destination, _sizeHint);
        ReadOnlySpan<byte> literals = _literals;
        var bounds = _bounds;
        var slots = _slots;
        for (var k = 0; k < slots.Length; k++)
        {
            sink.Write(literals[bounds[k]..bounds[k + 1]]);
            WriteSlot(ref sink, slots[k], context, secrets);
        }

        sink.Write(literals[bounds[^2]..]);
        sink.Commit();
    }

    /// <summary>Renders the payload into a new UTF-8 byte array.</summary>
    /// <param name="context">The event's values.</param>
    /// <param name="secrets">The secret values; may be <see langword="null"/> when the template uses none.</param>
    /// <returns>The payload bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">A referenced secret is not available.</exception>
    public byte[] RenderToUtf8Bytes(TemplateContext context, ITemplateSecretLookup? secrets = null)
    {
        using var buffer = new PooledByteBufferWriter(_sizeHint);
        Render(context, secrets, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Renders the payload into a string.</summary>
    /// <param name="context">The event's values.</param>
    /// <param name="secrets">The secret values; may be <see langword="null"/> when the template uses none.</param>
    /// <returns>The payload text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">A referenced secret is not available.</exception>
    public string RenderToString(TemplateContext context, ITemplateSecretLookup? secrets = null)
    {
        using var buffer = new PooledByteBufferWriter(_sizeHint);
        Render(context, secrets, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Fetches exactly the secrets this template references (<see cref="SecretNames"/>) from a secret source.
    /// </summary>
    /// <param name="source">The secret source (for example the team's secret store).</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>The fetched secrets, ready for <c>Render</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">The source lacks one or more referenced secrets; every missing name is listed.</exception>
    public async ValueTask<TemplateSecrets> FetchSecretsAsync(ITemplateSecretSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_secretNames.Length == 0)
        {
            return TemplateSecrets.Empty;
        }

        var values = new List<KeyValuePair<string, string>>(_secretNames.Length);
        List<string>? missing = null;
        foreach (var name in _secretNames)
        {
            var value = await source.GetSecretAsync(name, cancellationToken).ConfigureAwait(false);
            if (value is null)
            {
                (missing ??= []).Add(name);
            }
            else
            {
                values.Add(new(name, value));
            }
        }

        if (missing is not null)
        {
            throw MissingSecrets(missing);
        }

        return TemplateSecrets.Create(values);
    }

    /// <summary>Returns the template text.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;

    private void EnsureSecrets(ITemplateSecretLookup? secrets)
    {
        List<string>? missing = null;
        foreach (var name in _secretNames)
        {
            if (secrets is null || !secrets.TryGetSecret(name, out _))
            {
                (missing ??= []).Add(name);
            }
        }

        if (missing is not null)
        {
            throw MissingSecrets(missing);
        }
    }

    private static AutomationValidationException MissingSecrets(IEnumerable<string> names)
        => new(names.Select(n => new ValidationProblem(
            "secrets." + n,
            $"the template references secret '{n}', which was not provided.")));

    private void WriteSlot(ref Utf8Sink sink, TemplateSlot slot, TemplateContext context, ITemplateSecretLookup? secrets)
    {
        switch (slot.Kind)
        {
            case TemplateSlotKind.ArtifactVersion:
                WriteArtifactReference(ref sink, context.ArtifactId);
                break;
            case TemplateSlotKind.Metadata:
                if (context.Metadata.TryGetValue(slot.Key!, out var element))
                {
                    WriteMetadata(ref sink, element);
                }

                break;
            case TemplateSlotKind.Secret:
                if (secrets is null || !secrets.TryGetSecret(slot.Key!, out var secret))
                {
                    throw MissingSecrets([slot.Key!]);
                }

                WriteEscaped(ref sink, secret);
                break;
            default:
                WriteEscaped(ref sink, context.GetValue(slot.Kind));
                break;
        }
    }

    private void WriteArtifactReference(ref Utf8Sink sink, string artifactId)
    {
        if (_customFormatter is not null)
        {
            WriteEscaped(ref sink, _customFormatter.Format(artifactId) ?? string.Empty);
            return;
        }

        var span = sink.Reserve(WandbArtifactReferenceFormatter.MaxByteCount(artifactId));
        sink.Advance(WandbArtifactReferenceFormatter.Write(artifactId, span));
    }

    private const int ChunkChars = 4096;

    private static void WriteEscaped(ref Utf8Sink sink, string value)
    {
        ReadOnlySpan<char> rest = value;
        while (rest.Length > ChunkChars)
        {
            var take = ChunkChars;
            if (char.IsHighSurrogate(rest[take - 1]))
            {
                take--;
            }

            var chunk = rest[..take];
            sink.Advance(JsonEscaper.EscapeUtf16(chunk, sink.Reserve(chunk.Length * JsonEscaper.MaxBytesPerChar)));
            rest = rest[take..];
        }

        sink.Advance(JsonEscaper.EscapeUtf16(rest, sink.Reserve(rest.Length * JsonEscaper.MaxBytesPerChar)));
    }

    private static void WriteMetadata(ref Utf8Sink sink, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (element.ValueKind == JsonValueKind.String)
        {
            var content = raw[1..^1];
            sink.Advance(JsonEscaper.CanonicalizeStringContent(content, sink.Reserve(content.Length * JsonEscaper.MaxBytesPerRawStringByte)));
        }
        else
        {
            sink.Advance(JsonEscaper.EscapeUtf8(raw, sink.Reserve(raw.Length * JsonEscaper.MaxBytesPerUtf8Byte)));
        }
    }
}
