using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Automations.Core.Domain.Filters;

/// <summary>
/// A compiled W&amp;B event filter: MongoDB-style JSON over the event fields <c>alias</c>, <c>tag</c> and
/// <c>collection</c>, such as the form W&amp;B's SDK emits, <c>{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}</c>.
/// Immutable and thread-safe; <see cref="Matches"/> allocates nothing.
/// </summary>
/// <remarks>
/// <para>Logical operators: <c>$and</c>, <c>$or</c>, <c>$nor</c> (arrays of filters) and <c>$not</c> (a filter).
/// Field operators: <c>$eq</c>, <c>$ne</c>, <c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c> (ordinal string
/// comparison), <c>$in</c>, <c>$nin</c>, <c>$exists</c>, <c>$regex</c> with optional <c>$options</c> (<c>imsx</c>),
/// <c>$contains</c> (substring) and <c>$not</c> (negates an operator object). A bare string means <c>$eq</c>; several
/// keys in one object must all hold.</para>
/// <para>Multi-valued fields follow MongoDB: a positive operator holds when <em>any</em> value satisfies it;
/// <c>$ne</c> and <c>$nin</c> hold when <em>no</em> value equals (is in) the operand, including when the field is
/// absent; <c>$exists: true</c> holds when the field has at least one value.</para>
/// <para>Regular expressions run in linear time (<see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>);
/// patterns that need backtracking are rejected when the filter is parsed.</para>
/// <para>Two filters are equal when their canonical JSON (<see cref="ToJson"/>) is equal.</para>
/// </remarks>
public sealed class EventFilter : IEquatable<EventFilter>
{
    /// <summary>The deepest nesting of filter and operator objects accepted (the W&amp;B wrapped form uses 4).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most nodes (filter objects, conditions, operators and <c>$in</c> values) a filter may have.</summary>
    public const int MaxNodes = 1000;

    /// <summary>The longest <c>$regex</c> pattern accepted, in UTF-16 code units.</summary>
    public const int MaxPatternLength = 1000;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,

        // The parser enforces MaxDepth itself, with a clear message; JSON nesting beyond this is refused outright.
        MaxDepth = 1024,
    };

    private static readonly JsonWriterOptions CanonicalWriterOptions = new()
    {
        // Keeps regex patterns readable ("a+" rather than "a\u002B"); the output is JSON, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly FilterDocument _root;
    private readonly string _json;

    private EventFilter(FilterDocument root)
    {
        _root = root;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalWriterOptions))
        {
            root.Write(writer);
        }

        _json = Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The empty filter <c>{}</c>: matches every event.</summary>
    public static EventFilter MatchAll { get; } = new(FilterDocument.Empty);

    /// <summary>Parses and compiles a filter.</summary>
    /// <param name="json">The filter as JSON text, for example <c>{"alias": {"$regex": "^prod"}}</c>.</param>
    /// <returns>The compiled filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">The text is not valid JSON or not a valid filter; lists every problem with its path (for example <c>$or[0].$and[1].alias.$regex</c>).</exception>
    public static EventFilter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new ValidationProblemCollector();
        var filter = Parse(json, problems);
        problems.ThrowIfInvalid();
        return filter!;
    }

    /// <summary>Parses and compiles a filter from a JSON value.</summary>
    /// <param name="json">The filter as a JSON object.</param>
    /// <returns>The compiled filter.</returns>
    /// <exception cref="AutomationValidationException">The value is not a valid filter; lists every problem with its path.</exception>
    public static EventFilter Parse(JsonElement json)
    {
        var problems = new ValidationProblemCollector();
        var root = FilterParser.Parse(json, problems);
        problems.ThrowIfInvalid();
        return new EventFilter(root!);
    }

    /// <summary>Parses and compiles a filter without throwing for invalid input.</summary>
    /// <param name="json">The filter as JSON text.</param>
    /// <param name="filter">The compiled filter, or <see langword="null"/> when there are problems.</param>
    /// <param name="problems">Every problem found, with its path; empty on success.</param>
    /// <returns>Whether the filter is valid.</returns>
    public static bool TryParse(string? json, [NotNullWhen(true)] out EventFilter? filter, out IReadOnlyList<ValidationProblem> problems)
    {
        var collector = new ValidationProblemCollector();
        if (json is null)
        {
            collector.Add(string.Empty, "No filter was given.");
            filter = null;
        }
        else
        {
            filter = Parse(json, collector);
        }

        problems = collector.Problems;
        return filter is not null;
    }

    private static EventFilter? Parse(string json, ValidationProblemCollector problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            problems.Add(string.Empty, "The filter is not valid JSON: " + ex.Message);
            return null;
        }

        using (document)
        {
            var root = FilterParser.Parse(document.RootElement, problems);
            return root is null ? null : new EventFilter(root);
        }
    }

    /// <summary>Whether the event described by <paramref name="subject"/> passes the filter. Allocates nothing.</summary>
    /// <param name="subject">The event's aliases, tags and collection.</param>
    /// <returns><see langword="true"/> when the filter holds.</returns>
    public bool Matches(in FilterSubject subject) => _root.Matches(in subject);

    /// <summary>
    /// The filter as canonical JSON: bare values written as <c>$eq</c>, keys of each object in ordinal order,
    /// <c>$in</c>/<c>$nin</c> values sorted without duplicates, <c>$options</c> as <c>imsx</c> flags in that order.
    /// Parsing it gives an equal filter; the logical structure (such as W&amp;B's <c>$or</c>/<c>$and</c> wrapping)
    /// is kept.
    /// </summary>
    /// <returns>The canonical JSON text.</returns>
    public string ToJson() => _json;

    /// <summary>Writes the canonical JSON of the filter (see <see cref="ToJson"/>) as a JSON value.</summary>
    /// <param name="writer">The writer; its options decide the escaping.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _root.Write(writer);
    }

    /// <summary>The canonical JSON of the filter; same as <see cref="ToJson"/>.</summary>
    /// <returns>The canonical JSON text.</returns>
    public override string ToString() => _json;

    /// <summary>Whether both filters have the same canonical JSON.</summary>
    /// <param name="other">The other filter.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(EventFilter? other) => other is not null && string.Equals(_json, other._json, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as EventFilter);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_json);

    /// <summary>Whether both filters have the same canonical JSON.</summary>
    /// <param name="left">A filter.</param>
    /// <param name="right">Another filter.</param>
    /// <returns><see langword="true"/> when equal (or both <see langword="null"/>).</returns>
    public static bool operator ==(EventFilter? left, EventFilter? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether the filters differ.</summary>
    /// <param name="left">A filter.</param>
    /// <param name="right">Another filter.</param>
    /// <returns><see langword="true"/> when not equal.</returns>
    public static bool operator !=(EventFilter? left, EventFilter? right) => !(left == right);
}
