namespace Automations.Core.Domain.Filters;

/// <summary>The event fields a filter can test.</summary>
internal enum FilterField
{
    /// <summary><c>alias</c>: multi-valued.</summary>
    Alias,

    /// <summary><c>tag</c>: multi-valued.</summary>
    Tag,

    /// <summary><c>collection</c>: one value or none.</summary>
    Collection,
}

/// <summary>Names of the fields and operators of the filter language, as they appear in the JSON.</summary>
internal static class FilterNames
{
    public const string Alias = "alias";
    public const string Tag = "tag";
    public const string Collection = "collection";

    public const string And = "$and";
    public const string Or = "$or";
    public const string Nor = "$nor";
    public const string Not = "$not";

    public const string Eq = "$eq";
    public const string Ne = "$ne";
    public const string Gt = "$gt";
    public const string Gte = "$gte";
    public const string Lt = "$lt";
    public const string Lte = "$lte";
    public const string In = "$in";
    public const string Nin = "$nin";
    public const string Exists = "$exists";
    public const string Regex = "$regex";
    public const string Options = "$options";
    public const string Contains = "$contains";

    public static string Of(FilterField field) => field switch
    {
        FilterField.Alias => Alias,
        FilterField.Tag => Tag,
        _ => Collection,
    };

    public static bool TryParseField(string name, out FilterField field)
    {
        switch (name)
        {
            case Alias:
                field = FilterField.Alias;
                return true;
            case Tag:
                field = FilterField.Tag;
                return true;
            case Collection:
                field = FilterField.Collection;
                return true;
            default:
                field = default;
                return false;
        }
    }

    public static bool IsFieldOperator(string name) => name is Eq or Ne or Gt or Gte or Lt or Lte or In or Nin
        or Exists or Regex or Options or Contains;

    public static bool IsLogicalOperator(string name) => name is And or Or or Nor;
}
