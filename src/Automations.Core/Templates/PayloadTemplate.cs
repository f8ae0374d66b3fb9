using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    private readonly byte[] _literals; // padded with CopySlack zero bytes after the last segment
    private readonly int _literalLength;
    private readonly Step[] _steps;
    private readonly int _tailStart;
    private readonly int _tailLength;
    private readonly TemplateSlot[] _slots;
    private readonly byte[] _textKinds;
    private readonly string[] _secretNames;
    private readonly IArtifactReferenceFormatter? _customFormatter;
    private readonly int _sizeHint;
    private readonly bool _usesArtifactVersion;
    private readonly bool _onlyFixed;
    private readonly int _referenceCount;

    /// <summary>
    /// Writable bytes asked for beyond the worst-case output, and zero padding after the literals: a literal segment
    /// under 16 bytes is copied as one 16-byte vector, so it may write up to 15 bytes past its end (every other copy
    /// ends exactly at the end of what it copies).
    /// </summary>
    private const int CopySlack = 16;

    /// <summary>Literal segments longer than this are copied with <see cref="Span{T}.CopyTo"/> (memmove).</summary>
    private const int LongLiteral = 512;

    /// <summary>Largest worst-case output rendered straight into one span; larger ones stream through smaller spans.</summary>
    private const int DirectLimit = 64 * 1024;

    private PayloadTemplate(string text, PayloadTemplateOptions options, CompiledTemplateParts parts)
    {
        Text = text;
        _literalLength = parts.Literals.Length;
        _literals = new byte[_literalLength + CopySlack];
        parts.Literals.CopyTo(_literals, 0);
        _slots = parts.Slots;
        var bounds = parts.SegmentBounds;
        _steps = new Step[_slots.Length];
        for (var k = 0; k < _slots.Length; k++)
        {
            _steps[k] = new Step(bounds[k], bounds[k + 1] - bounds[k], (int)_slots[k].Kind);
        }

        _tailStart = bounds[^2];
        _tailLength = bounds[^1] - bounds[^2];
        _secretNames = parts.SecretNames;
        _customFormatter = ReferenceEquals(options.ArtifactReferenceFormatter, WandbArtifactReferenceFormatter.Instance)
            ? null
            : options.ArtifactReferenceFormatter;
        _sizeHint = _literalLength + (32 * _slots.Length);
        _referenceCount = _slots.Count(s => s.Kind == TemplateSlotKind.ArtifactVersion);
        _usesArtifactVersion = _referenceCount > 0;
        _onlyFixed = _customFormatter is null && Array.TrueForAll(_slots, s => s.Kind is not TemplateSlotKind.Metadata and not TemplateSlotKind.Secret);
        _textKinds = [.. _slots.Where(s => s.Kind is not TemplateSlotKind.ArtifactVersion and not TemplateSlotKind.Metadata and not TemplateSlotKind.Secret).Select(s => (byte)s.Kind)];
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
        if (_onlyFixed)
        {
            // Fixed variables and the W&B reference only: the plan needs no lookups.
            var values = context.Values;
            var fixedBound = FixedBound(values);
            if (fixedBound <= DirectLimit)
            {
                var span = destination.GetSpan((int)fixedBound + CopySlack);
                if (span.Length >= fixedBound + CopySlack)
                {
                    destination.Advance(WriteFixed(ref MemoryMarshal.GetReference(span), values));
                    return;
                }
            }

            WriteStreaming(destination, context, secrets, null);
            return;
        }

        var customReference = _customFormatter is not null && _usesArtifactVersion
            ? _customFormatter.Format(context.ArtifactId) ?? string.Empty
            : null;

        // One pass over the values gives an upper bound of the output (and checks every secret before writing).
        var bound = MaxRenderedBytes(context, secrets, customReference);
        if (bound <= DirectLimit)
        {
            var span = destination.GetSpan((int)bound + CopySlack);
            if (span.Length >= bound + CopySlack)
            {
                destination.Advance(WriteDirect(span, context, secrets, customReference));
                return;
            }
        }

        // Large payloads (or a writer that hands out less than asked) go through spans of bounded size.
        WriteStreaming(destination, context, secrets, customReference);
    }

    /// <summary>Renders the payload into a new UTF-8 byte array.</summary>
    /// <param name="context">The event's values.</param>
    /// <param name="secrets">The secret values; may be <see langword="null"/> when the template uses none.</param>
    /// <returns>The payload bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">A referenced secret is not available.</exception>
    public byte[] RenderToUtf8Bytes(TemplateContext context, ITemplateSecretLookup? secrets = null)
    {
        using var buffer = new PooledByteBufferWriter();
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
        using var buffer = new PooledByteBufferWriter();
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

    /// <summary>Worst-case output of <see cref="WriteFixed"/> for these values (each text char → at most 6 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long FixedBound(string[] values)
    {
        long chars = 0;
        ref var vals = ref MemoryMarshal.GetArrayDataReference(values);
        foreach (var kind in _textKinds)
        {
            chars += Unsafe.Add(ref vals, kind).Length;
        }

        return _literalLength
            + (chars * JsonEscaper.MaxBytesPerChar)
            + (_referenceCount * WandbArtifactReferenceFormatter.MaxUtf8Bytes(values[(int)TemplateSlotKind.ArtifactVersion].Length));
    }

    private long MaxRenderedBytes(TemplateContext context, ITemplateSecretLookup? secrets, string? customReference)
    {
        long bound = _literalLength;
        List<string>? missing = null;
        foreach (var slot in _slots)
        {
            switch (slot.Kind)
            {
                case TemplateSlotKind.ArtifactVersion:
                    bound += customReference is null
                        ? WandbArtifactReferenceFormatter.MaxUtf8Bytes(context.ArtifactId.Length)
                        : (long)customReference.Length * JsonEscaper.MaxBytesPerChar;
                    break;
                case TemplateSlotKind.Metadata:
                    if (context.Metadata.TryGetValue(slot.Key!, out var element))
                    {
                        bound += TemplateContext.MaxEscapedBytes(element);
                    }

                    break;
                case TemplateSlotKind.Secret:
                    if (secrets is not null && secrets.TryGetSecret(slot.Key!, out var secret))
                    {
                        bound += (long)secret.Length * JsonEscaper.MaxBytesPerChar;
                    }
                    else if (missing is null || !missing.Contains(slot.Key!))
                    {
                        (missing ??= []).Add(slot.Key!);
                    }

                    break;
                default:
                    bound += (long)context[slot.Kind].Length * JsonEscaper.MaxBytesPerChar;
                    break;
            }
        }

        if (missing is not null)
        {
            throw MissingSecrets(missing);
        }

        return bound;
    }

    /// <summary>
    /// The common case, fixed variables and the W&amp;B artifact reference only: walks the precomputed steps (literal
    /// segment, then the value at its kind's index) with no bounds checks, no calls per segment, and values that need
    /// no escaping copied as whole vectors. <paramref name="destination"/> holds <see cref="FixedBound"/> +
    /// <see cref="CopySlack"/> bytes. Returns the bytes written.
    /// </summary>
    private int WriteFixed(ref byte destination, string[] values)
    {
        ref var literals = ref MemoryMarshal.GetArrayDataReference(_literals);
        ref var vals = ref MemoryMarshal.GetArrayDataReference(values);
        nint position = 0;
        foreach (var step in _steps)
        {
            CopyBlocks(ref Unsafe.Add(ref literals, step.LiteralStart), ref Unsafe.Add(ref destination, position), step.LiteralLength);
            position += step.LiteralLength;
            var value = Unsafe.Add(ref vals, step.Kind);
            ref var target = ref Unsafe.Add(ref destination, position);
            if (step.Kind == (int)TemplateSlotKind.ArtifactVersion)
            {
                position += WandbArtifactReferenceFormatter.WriteUtf8(value, ref target);
            }
            else
            {
                var n = value.Length;
                position += JsonEscaper.TryCopyPlain(ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value.AsSpan())), ref target, n)
                    ? n
                    : JsonEscaper.EscapeUtf16(value, MemoryMarshal.CreateSpan(ref target, n * JsonEscaper.MaxBytesPerChar));
            }
        }

        CopyBlocks(ref Unsafe.Add(ref literals, _tailStart), ref Unsafe.Add(ref destination, position), _tailLength);
        return (int)(position + _tailLength);
    }

    /// <summary>Writes the whole payload into a span known to be large enough; returns the bytes written.</summary>
    private int WriteDirect(Span<byte> span, TemplateContext context, ITemplateSecretLookup? secrets, string? customReference)
    {
        var steps = _steps;
        var slots = _slots;
        var position = 0;
        for (var k = 0; k < steps.Length; k++)
        {
            position += CopyLiteral(steps[k].LiteralStart, steps[k].LiteralLength, span, position);

            var slot = slots[k];
            switch (slot.Kind)
            {
                case TemplateSlotKind.ArtifactVersion:
                    position += customReference is null
                        ? WandbArtifactReferenceFormatter.WriteUtf8(context.ArtifactId, span[position..])
                        : JsonEscaper.EscapeUtf16(customReference, span[position..]);
                    break;
                case TemplateSlotKind.Metadata:
                    if (context.Metadata.TryGetValue(slot.Key!, out var element))
                    {
                        position += WriteMetadata(element, span[position..]);
                    }

                    break;
                case TemplateSlotKind.Secret:
                    position += JsonEscaper.EscapeUtf16(GetSecret(secrets, slot.Key!), span[position..]);
                    break;
                default:
                    position += JsonEscaper.EscapeUtf16(context[slot.Kind], span[position..]);
                    break;
            }
        }

        return position + CopyLiteral(_tailStart, _tailLength, span, position);
    }

    /// <summary>
    /// Copies <paramref name="length"/> literal bytes with whole vectors that end exactly at the segment's end (the
    /// last vector overlapping the previous one), so a copy writes past its end only for segments under 16 bytes
    /// (by at most 15): few stores straddle any given address, which keeps the cost of a destination that crosses a
    /// page boundary low. Reads may go past the segment into the next one or the array's padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyBlocks(ref byte source, ref byte target, int length)
    {
        if (length > 64 && Vector512.IsHardwareAccelerated)
        {
            var last = (nuint)(length - 64);
            for (nuint i = 0; i < last; i += 64)
            {
                Vector512.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
            }

            Vector512.LoadUnsafe(ref source, last).StoreUnsafe(ref target, last);
        }
        else if (length > 32 && Vector256.IsHardwareAccelerated)
        {
            var last = (nuint)(length - 32);
            for (nuint i = 0; i < last; i += 32)
            {
                Vector256.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
            }

            Vector256.LoadUnsafe(ref source, last).StoreUnsafe(ref target, last);
        }
        else if (length > 16)
        {
            var last = (nuint)(length - 16);
            for (nuint i = 0; i < last; i += 16)
            {
                Vector128.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
            }

            Vector128.LoadUnsafe(ref source, last).StoreUnsafe(ref target, last);
        }
        else
        {
            Vector128.LoadUnsafe(ref source).StoreUnsafe(ref target);
        }
    }

    /// <summary>
    /// Copies literal bytes <c>[start, start + length)</c> to <c>span[position..]</c>, in whole vectors when the span has
    /// <see cref="CopySlack"/> bytes to spare after them (see <see cref="CopyBlocks"/>). Returns the literal's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CopyLiteral(int start, int length, Span<byte> span, int position)
    {
        if (length > LongLiteral || (uint)(position + length + CopySlack) > (uint)span.Length)
        {
            _literals.AsSpan(start, length).CopyTo(span[position..]);
            return length;
        }

        CopyBlocks(
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_literals), start),
            ref Unsafe.Add(ref MemoryMarshal.GetReference(span), position),
            length);
        return length;
    }

    /// <summary>Writes a large payload through spans of bounded size (values are escaped in chunks).</summary>
    private void WriteStreaming(IBufferWriter<byte> destination, TemplateContext context, ITemplateSecretLookup? secrets, string? customReference)
    {
        var sink = new Utf8Sink(destination, _sizeHint);
        ReadOnlySpan<byte> literals = _literals;
        var steps = _steps;
        var slots = _slots;
        for (var k = 0; k < steps.Length; k++)
        {
            sink.Write(literals.Slice(steps[k].LiteralStart, steps[k].LiteralLength));
            var slot = slots[k];
            switch (slot.Kind)
            {
                case TemplateSlotKind.ArtifactVersion:
                    if (customReference is null)
                    {
                        var id = context.ArtifactId;
                        var room = WandbArtifactReferenceFormatter.MaxUtf8Bytes(id.Length);
                        sink.Advance(WandbArtifactReferenceFormatter.WriteUtf8(id, sink.Reserve((int)Math.Min(room, Array.MaxLength))));
                    }
                    else
                    {
                        WriteEscaped(ref sink, customReference);
                    }

                    break;
                case TemplateSlotKind.Metadata:
                    if (context.Metadata.TryGetValue(slot.Key!, out var element))
                    {
                        var max = TemplateContext.MaxEscapedBytes(element);
                        sink.Advance(WriteMetadata(element, sink.Reserve((int)Math.Min(max, Array.MaxLength))));
                    }

                    break;
                case TemplateSlotKind.Secret:
                    WriteEscaped(ref sink, GetSecret(secrets, slot.Key!));
                    break;
                default:
                    WriteEscaped(ref sink, context[slot.Kind]);
                    break;
            }
        }

        sink.Write(literals.Slice(_tailStart, _tailLength));
        sink.Commit();
    }

    private static string GetSecret(ITemplateSecretLookup? secrets, string name)
        => secrets is not null && secrets.TryGetSecret(name, out var value) ? value : throw MissingSecrets([name]);

    private static AutomationValidationException MissingSecrets(IEnumerable<string> names)
        => new(names.Select(n => new ValidationProblem(
            "secrets." + n,
            $"the template references secret '{n}', which was not provided.")));

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

    private static int WriteMetadata(JsonElement element, Span<byte> destination)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        return element.ValueKind == JsonValueKind.String
            ? JsonEscaper.CanonicalizeStringContent(raw[1..^1], destination)
            : JsonEscaper.EscapeUtf8(raw, destination);
    }

    /// <summary>One step of the render plan: a literal segment of <see cref="_literals"/>, then the slot of this kind.</summary>
    /// <param name="LiteralStart">Where the segment starts.</param>
    /// <param name="LiteralLength">The segment's length in bytes.</param>
    /// <param name="Kind">The slot's <see cref="TemplateSlotKind"/>, as the index of its value in <see cref="TemplateContext.Values"/>.</param>
    private readonly record struct Step(int LiteralStart, int LiteralLength, int Kind);
}
