namespace Automations.Core.Domain.Filters;

/// <summary>
/// The fields of an artifact event that an <see cref="EventFilter"/> looks at: the aliases, the tags and the
/// collection. A cheap view over lists the caller owns (nothing is copied); matching against it allocates nothing.
/// </summary>
/// <remarks>
/// <para><c>alias</c> and <c>tag</c> are multi-valued: a condition such as <c>{"alias": "prod"}</c> holds when
/// <em>any</em> of the values satisfies it, as in MongoDB. For an <c>ADD_ARTIFACT_ALIAS</c> event pass the added
/// alias together with the aliases the version already has.</para>
/// <para><c>default(FilterSubject)</c> is a valid subject with no aliases, no tags and no collection. Do not change
/// the lists while a match is running.</para>
/// </remarks>
/// <example>
/// <code>
/// var subject = new FilterSubject(aliases: ["v7", "production"], tags: ["nightly"], collection: "my-model");
/// bool fire = filter.Matches(subject);
/// </code>
/// </example>
public readonly struct FilterSubject
{
    private readonly IReadOnlyList<string>? _aliases;
    private readonly IReadOnlyList<string>? _tags;

    /// <summary>Creates a subject from the event's fields.</summary>
    /// <param name="aliases">The aliases the filter judges: the alias an <c>ADD_ARTIFACT_ALIAS</c> event adds (alone), otherwise the version's aliases; <see langword="null"/> for none. No element may be <see langword="null"/>.</param>
    /// <param name="tags">The tags the filter judges: the tag a tag event adds or removes (alone), otherwise the version's tags; <see langword="null"/> for none. No element may be <see langword="null"/>.</param>
    /// <param name="collection">The artifact collection's name; <see langword="null"/> when the event has none.</param>
    /// <exception cref="ArgumentException">An alias or a tag is <see langword="null"/>.</exception>
    public FilterSubject(IReadOnlyList<string>? aliases = null, IReadOnlyList<string>? tags = null, string? collection = null)
    {
        ThrowIfAnyNull(aliases, nameof(aliases));
        ThrowIfAnyNull(tags, nameof(tags));
        _aliases = aliases;
        _tags = tags;
        Collection = collection;
    }

    /// <summary>The aliases the filter judges (the added alias, or the version's aliases); empty when there are none.</summary>
    public IReadOnlyList<string> Aliases => _aliases ?? [];

    /// <summary>The tags the filter judges (the tag added or removed, or the version's tags); empty when there are none.</summary>
    public IReadOnlyList<string> Tags => _tags ?? [];

    /// <summary>The artifact collection's name, or <see langword="null"/> when the event has none.</summary>
    public string? Collection { get; }

    internal FieldValues AliasValues => new(_aliases);

    internal FieldValues TagValues => new(_tags);

    internal FieldValues CollectionValues => new(Collection);

    private static void ThrowIfAnyNull(IReadOnlyList<string>? values, string parameterName)
    {
        if (values is null)
        {
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                throw new ArgumentException("No value may be null.", parameterName);
            }
        }
    }
}

/// <summary>The values of one field, read without allocating: a list (alias, tag) or at most one string (collection).</summary>
internal readonly ref struct FieldValues
{
    private readonly IReadOnlyList<string>? _list;
    private readonly string? _single;

    public FieldValues(IReadOnlyList<string>? list)
    {
        _list = list;
        _single = null;
        Count = list?.Count ?? 0;
    }

    public FieldValues(string? single)
    {
        _list = null;
        _single = single;
        Count = single is null ? 0 : 1;
    }

    public int Count { get; }

    public string this[int index] => _list is null ? _single! : _list[index];
}
