using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automations.Core.Domain.Filters;

/// <summary>
/// Turns filter JSON into a <see cref="FilterDocument"/>, collecting every problem with its path. Walks at most
/// <see cref="EventFilter.MaxDepth"/> levels and <see cref="EventFilter.MaxNodes"/> nodes, so hostile input cannot
/// blow the stack or take long.
/// </summary>
internal sealed class FilterParser
{
    private static readonly string TooDeep = string.Create(
        CultureInfo.InvariantCulture,
        $"The filter is nested too deeply: at most {EventFilter.MaxDepth} levels of filter and operator objects are allowed.");

    private static readonly string TooLarge = string.Create(
        CultureInfo.InvariantCulture,
        $"The filter is too large: at most {EventFilter.MaxNodes} nodes (filter objects, conditions, operators and $in values) are allowed.");

    private readonly ValidationProblemCollector _problems;
    private int _nodes;
    private bool _aborted;

    private FilterParser(ValidationProblemCollector problems) => _problems = problems;

    /// <summary>Parses a filter; returns <see langword="null"/> when any problem was added to <paramref name="problems"/>.</summary>
    public static FilterDocument? Parse(JsonElement root, ValidationProblemCollector problems)
    {
        var before = problems.Problems.Count;
        var document = new FilterParser(problems).ParseDocument(root, string.Empty, 1);
        return problems.Problems.Count == before ? document : null;
    }

    private bool Enter(string path, int depth)
    {
        if (_aborted)
        {
            return false;
        }

        if (depth > EventFilter.MaxDepth)
        {
            _problems.Add(path, TooDeep);
            _aborted = true;
            return false;
        }

        return Count(path);
    }

    private bool Count(string path)
    {
        if (_aborted)
        {
            return false;
        }

        if (++_nodes > EventFilter.MaxNodes)
        {
            _problems.Add(path, TooLarge);
            _aborted = true;
            return false;
        }

        return true;
    }

    private FilterDocument? ParseDocument(JsonElement element, string path, int depth)
    {
        if (!Enter(path, depth))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            _problems.Add(path, $"A filter must be a JSON object such as {{\"alias\": \"prod\"}}, not {Describe(element)}.");
            return null;
        }

        var clauses = new List<FilterClause>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (_aborted)
            {
                return null;
            }

            if (!TryGetName(property, path, out var name))
            {
                continue;
            }

            var propertyPath = ValidationProblemCollector.Combine(path, name);
            if (!seen.Add(name))
            {
                _problems.Add(propertyPath, $"The key '{name}' appears more than once in the same object.");
                continue;
            }

            if (!Count(propertyPath))
            {
                return null;
            }

            var clause = ParseClause(name, property.Value, propertyPath, depth);
            if (clause is not null)
            {
                clauses.Add(clause);
            }
        }

        return new FilterDocument([.. clauses]);
    }

    private FilterClause? ParseClause(string name, JsonElement value, string path, int depth)
    {
        switch (name)
        {
            case FilterNames.And:
                return ParseLogical(LogicalKind.And, name, value, path, depth);
            case FilterNames.Or:
                return ParseLogical(LogicalKind.Or, name, value, path, depth);
            case FilterNames.Nor:
                return ParseLogical(LogicalKind.Nor, name, value, path, depth);
            case FilterNames.Not:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    _problems.Add(path, $"'$not' expects a filter object such as {{\"alias\": \"prod\"}}, not {Describe(value)}.");
                    return null;
                }

                var inner = ParseDocument(value, path, depth + 1);
                return inner is null ? null : new NotClause(inner);
        }

        if (FilterNames.TryParseField(name, out var field))
        {
            var expression = ParseFieldValue(value, path, depth);
            return expression is null ? null : new FieldClause(field, expression);
        }

        if (FilterNames.IsFieldOperator(name))
        {
            _problems.Add(path, $"'{name}' is a field operator and must be used inside a field, for example {{\"alias\": {{\"{name}\": ...}}}}.");
        }
        else if (name.StartsWith('$'))
        {
            _problems.Add(path, $"Unknown operator '{name}'. A filter object takes $and, $or, $nor, $not or a field (alias, tag, collection).");
        }
        else
        {
            _problems.Add(path, $"Unknown field '{name}'. The fields are alias, tag and collection.");
        }

        return null;
    }

    private LogicalClause? ParseLogical(LogicalKind kind, string name, JsonElement value, string path, int depth)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            _problems.Add(path, $"'{name}' expects an array of filter objects, not {Describe(value)}.");
            return null;
        }

        var length = value.GetArrayLength();
        if (length == 0 && kind != LogicalKind.And)
        {
            _problems.Add(path, $"'{name}' needs at least one filter object (an empty '{name}' is ambiguous; use {{}} to match everything).");
            return null;
        }

        var operands = new FilterDocument[length];
        var ok = true;
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var operand = ParseDocument(item, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", depth + 1);
            if (operand is null)
            {
                ok = false;
            }
            else
            {
                operands[i] = operand;
            }

            if (_aborted)
            {
                return null;
            }

            i++;
        }

        return ok ? new LogicalClause(kind, operands) : null;
    }

    private OperatorExpression? ParseFieldValue(JsonElement value, string path, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return TryGetString(value, path, out var text) && Count(path)
                    ? new OperatorExpression([new ComparisonOperator(ComparisonKind.Eq, text)])
                    : null;
            case JsonValueKind.Object:
                return ParseOperators(value, path, depth + 1);
            case JsonValueKind.Array:
                _problems.Add(path, "A bare array is not supported as a field value; use {\"$in\": [...]} to match any of several values.");
                return null;
            case JsonValueKind.Null:
                _problems.Add(path, "null is not supported as a field value; use {\"$exists\": false} to match a missing field.");
                return null;
            default:
                _problems.Add(path, $"A field value must be a string or an object of operators such as {{\"$regex\": \"^v\"}}, not {Describe(value)}.");
                return null;
        }
    }

    private OperatorExpression? ParseOperators(JsonElement element, string path, int depth)
    {
        if (!Enter(path, depth))
        {
            return null;
        }

        var operators = new List<FieldOperator>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        JsonElement? regex = null;
        JsonElement? options = null;
        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            count++;
            if (_aborted)
            {
                return null;
            }

            if (!TryGetName(property, path, out var name))
            {
                continue;
            }

            var operatorPath = ValidationProblemCollector.Combine(path, name);
            if (!seen.Add(name))
            {
                _problems.Add(operatorPath, $"The key '{name}' appears more than once in the same object.");
                continue;
            }

            if (!Count(operatorPath))
            {
                return null;
            }

            switch (name)
            {
                case FilterNames.Regex:
                    regex = property.Value;
                    break;
                case FilterNames.Options:
                    options = property.Value;
                    break;
                default:
                    var op = ParseOperator(name, property.Value, operatorPath, depth);
                    if (op is not null)
                    {
                        operators.Add(op);
                    }

                    break;
            }
        }

        if (count == 0)
        {
            _problems.Add(path, "An operator object needs at least one operator, for example {\"$eq\": \"prod\"}.");
            return null;
        }

        if (regex is { } pattern)
        {
            var op = ParseRegex(pattern, options, path);
            if (op is not null)
            {
                operators.Add(op);
            }
        }
        else if (options is not null)
        {
            _problems.Add(ValidationProblemCollector.Combine(path, FilterNames.Options), "'$options' is only allowed next to '$regex'.");
        }

        return new OperatorExpression([.. operators]);
    }

    private FieldOperator? ParseOperator(string name, JsonElement value, string path, int depth)
    {
        switch (name)
        {
            case FilterNames.Eq:
                return ParseStringOperand(name, value, path, s => new ComparisonOperator(ComparisonKind.Eq, s));
            case FilterNames.Gt:
                return ParseStringOperand(name, value, path, s => new ComparisonOperator(ComparisonKind.Gt, s));
            case FilterNames.Gte:
                return ParseStringOperand(name, value, path, s => new ComparisonOperator(ComparisonKind.Gte, s));
            case FilterNames.Lt:
                return ParseStringOperand(name, value, path, s => new ComparisonOperator(ComparisonKind.Lt, s));
            case FilterNames.Lte:
                return ParseStringOperand(name, value, path, s => new ComparisonOperator(ComparisonKind.Lte, s));
            case FilterNames.Ne:
                return ParseStringOperand(name, value, path, s => new NotEqualOperator(s));
            case FilterNames.Contains:
                return ParseStringOperand(name, value, path, s => new ContainsOperator(s));
            case FilterNames.In:
            case FilterNames.Nin:
                return ParseIn(name, value, path);
            case FilterNames.Exists:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return new ExistsOperator(value.ValueKind == JsonValueKind.True);
                }

                _problems.Add(path, $"'$exists' expects true or false, not {Describe(value)}.");
                return null;
            case FilterNames.Not:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    _problems.Add(path, $"'$not' inside a field expects an object of operators such as {{\"$regex\": \"^tmp\"}}, not {Describe(value)}.");
                    return null;
                }

                var inner = ParseOperators(value, path, depth + 1);
                return inner is null ? null : new NotOperator(inner);
        }

        if (FilterNames.IsLogicalOperator(name))
        {
            _problems.Add(path, $"'{name}' is a logical operator and cannot be used inside a field; put the field inside it instead, for example {{\"{name}\": [{{\"alias\": \"a\"}}, {{\"alias\": \"b\"}}]}}.");
        }
        else if (name.StartsWith('$'))
        {
            _problems.Add(path, $"Unknown operator '{name}'. Field operators are $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $regex (with $options), $contains and $not.");
        }
        else
        {
            _problems.Add(path, $"Expected an operator (a key starting with '$'), not '{name}'. Mixing operators and plain keys in one object is not supported.");
        }

        return null;
    }

    private FieldOperator? ParseStringOperand(string name, JsonElement value, string path, Func<string, FieldOperator> create)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            _problems.Add(path, $"'{name}' expects a string, not {Describe(value)}.");
            return null;
        }

        return TryGetString(value, path, out var text) ? create(text) : null;
    }

    private InOperator? ParseIn(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            _problems.Add(path, $"'{name}' expects an array of strings, not {Describe(value)}.");
            return null;
        }

        var items = new List<string>();
        var ok = true;
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            i++;
            if (!Count(itemPath))
            {
                return null;
            }

            if (item.ValueKind != JsonValueKind.String)
            {
                _problems.Add(itemPath, $"'{name}' expects an array of strings; this item is {Describe(item)}.");
                ok = false;
            }
            else if (TryGetString(item, itemPath, out var text))
            {
                items.Add(text);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? new InOperator(items, negated: name == FilterNames.Nin) : null;
    }

    private RegexOperator? ParseRegex(JsonElement patternElement, JsonElement? optionsElement, string path)
    {
        var regexPath = ValidationProblemCollector.Combine(path, FilterNames.Regex);
        var optionsPath = ValidationProblemCollector.Combine(path, FilterNames.Options);
        var ok = true;

        var options = string.Empty;
        var regexOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        if (optionsElement is { } o)
        {
            if (o.ValueKind != JsonValueKind.String)
            {
                _problems.Add(optionsPath, $"'$options' expects a string of regex flags from 'imsx', not {Describe(o)}.");
                ok = false;
            }
            else if (TryGetString(o, optionsPath, out var flags))
            {
                if (!TryParseOptions(flags, out options, out var extra, out var bad))
                {
                    _problems.Add(optionsPath, $"Unsupported regex option '{bad}'. The options are i (ignore case), m (multi-line), s (dot matches newline) and x (ignore pattern whitespace).");
                    ok = false;
                }

                regexOptions |= extra;
            }
            else
            {
                ok = false;
            }
        }

        if (patternElement.ValueKind != JsonValueKind.String)
        {
            _problems.Add(regexPath, $"'$regex' expects a string, not {Describe(patternElement)}.");
            return null;
        }

        if (!TryGetString(patternElement, regexPath, out var pattern))
        {
            return null;
        }

        if (pattern.Length > EventFilter.MaxPatternLength)
        {
            _problems.Add(regexPath, string.Create(
                CultureInfo.InvariantCulture,
                $"The regular expression is too long: {pattern.Length} characters, at most {EventFilter.MaxPatternLength} are allowed."));
            return null;
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, regexOptions);
        }
        catch (RegexParseException ex)
        {
            _problems.Add(regexPath, "Invalid regular expression: " + ex.Message);
            return null;
        }
        catch (NotSupportedException ex)
        {
            _problems.Add(regexPath, "The regular expression cannot be run in linear time, so it is not allowed (backreferences, lookarounds, atomic groups, conditionals and \\G are not supported, nor are very large repetitions): " + ex.Message);
            return null;
        }
        catch (ArgumentException ex)
        {
            _problems.Add(regexPath, "Invalid regular expression: " + ex.Message);
            return null;
        }

        return ok ? new RegexOperator(pattern, options, regex) : null;
    }

    /// <summary>Reads MongoDB-style regex flags; the canonical form lists each flag once in the order <c>imsx</c>.</summary>
    internal static bool TryParseOptions(string flags, out string canonical, out RegexOptions options, out char bad)
    {
        options = RegexOptions.None;
        bad = '\0';
        foreach (var c in flags)
        {
            switch (c)
            {
                case 'i':
                    options |= RegexOptions.IgnoreCase;
                    break;
                case 'm':
                    options |= RegexOptions.Multiline;
                    break;
                case 's':
                    options |= RegexOptions.Singleline;
                    break;
                case 'x':
                    options |= RegexOptions.IgnorePatternWhitespace;
                    break;
                default:
                    bad = c;
                    break;
            }
        }

        canonical = string.Concat(
            (options & RegexOptions.IgnoreCase) != 0 ? "i" : string.Empty,
            (options & RegexOptions.Multiline) != 0 ? "m" : string.Empty,
            (options & RegexOptions.Singleline) != 0 ? "s" : string.Empty,
            (options & RegexOptions.IgnorePatternWhitespace) != 0 ? "x" : string.Empty);
        return bad == '\0';
    }

    private bool TryGetName(JsonProperty property, string path, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            _problems.Add(path, "A key is not valid UTF-16 text (it contains an unpaired surrogate escape).");
            name = string.Empty;
            return false;
        }
    }

    private bool TryGetString(JsonElement element, string path, out string text)
    {
        try
        {
            text = element.GetString() ?? string.Empty;
            return true;
        }
        catch (InvalidOperationException)
        {
            _problems.Add(path, "The string is not valid UTF-16 text (it contains an unpaired surrogate escape).");
            text = string.Empty;
            return false;
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
