using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automations.Core.Domain.Filters;

/// <summary>
/// A filter object: every clause must hold (an empty object holds for every subject). Clauses are kept in
/// ordinal order of their keys, which is the canonical form.
/// </summary>
internal sealed class FilterDocument
{
    private readonly FilterClause[] _clauses;

    public FilterDocument(FilterClause[] clauses)
    {
        _clauses = clauses;
        Array.Sort(_clauses, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    public static FilterDocument Empty { get; } = new([]);

    public bool Matches(in FilterSubject subject)
    {
        foreach (var clause in _clauses)
        {
            if (!clause.Matches(in subject))
            {
                return false;
            }
        }

        return true;
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var clause in _clauses)
        {
            writer.WritePropertyName(clause.Key);
            clause.WriteValue(writer);
        }

        writer.WriteEndObject();
    }
}

/// <summary>One key of a filter object with its value.</summary>
internal abstract class FilterClause
{
    public abstract string Key { get; }

    public abstract bool Matches(in FilterSubject subject);

    public abstract void WriteValue(Utf8JsonWriter writer);
}

/// <summary>The kinds of logical clauses that take an array of filters.</summary>
internal enum LogicalKind
{
    And,
    Or,
    Nor,
}

/// <summary><c>$and</c>, <c>$or</c> or <c>$nor</c> over an array of filters.</summary>
internal sealed class LogicalClause(LogicalKind kind, FilterDocument[] operands) : FilterClause
{
    public override string Key => kind switch
    {
        LogicalKind.And => FilterNames.And,
        LogicalKind.Or => FilterNames.Or,
        _ => FilterNames.Nor,
    };

    public override bool Matches(in FilterSubject subject)
    {
        switch (kind)
        {
            case LogicalKind.And:
                foreach (var operand in operands)
                {
                    if (!operand.Matches(in subject))
                    {
                        return false;
                    }
                }

                return true;
            case LogicalKind.Or:
                foreach (var operand in operands)
                {
                    if (operand.Matches(in subject))
                    {
                        return true;
                    }
                }

                return false;
            default:
                foreach (var operand in operands)
                {
                    if (operand.Matches(in subject))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    public override void WriteValue(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var operand in operands)
        {
            operand.Write(writer);
        }

        writer.WriteEndArray();
    }
}

/// <summary><c>{"$not": filter}</c>: holds when the inner filter does not.</summary>
internal sealed class NotClause(FilterDocument operand) : FilterClause
{
    public override string Key => FilterNames.Not;

    public override bool Matches(in FilterSubject subject) => !operand.Matches(in subject);

    public override void WriteValue(Utf8JsonWriter writer) => operand.Write(writer);
}

/// <summary><c>{"alias": ...}</c>: a field tested by an operator expression.</summary>
internal sealed class FieldClause(FilterField target, OperatorExpression expression) : FilterClause
{
    public override string Key => FilterNames.Of(target);

    public override bool Matches(in FilterSubject subject)
    {
        return target switch
        {
            FilterField.Alias => expression.Matches(subject.AliasValues),
            FilterField.Tag => expression.Matches(subject.TagValues),
            _ => expression.Matches(subject.CollectionValues),
        };
    }

    public override void WriteValue(Utf8JsonWriter writer) => expression.Write(writer);
}

/// <summary>
/// An operator object such as <c>{"$regex": "^v", "$ne": "v0"}</c>: every operator must hold. Operators are kept in
/// ordinal order of their names, which is the canonical form.
/// </summary>
internal sealed class OperatorExpression
{
    private readonly FieldOperator[] _operators;

    public OperatorExpression(FieldOperator[] operators)
    {
        _operators = operators;
        Array.Sort(_operators, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
    }

    public bool Matches(FieldValues values)
    {
        foreach (var op in _operators)
        {
            if (!op.Matches(values))
            {
                return false;
            }
        }

        return true;
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var op in _operators)
        {
            op.WriteProperties(writer);
        }

        writer.WriteEndObject();
    }
}

/// <summary>One operator applied to the values of a field.</summary>
internal abstract class FieldOperator
{
    public abstract string Name { get; }

    /// <summary>Whether the operator holds for a field with these values (none when the field is absent).</summary>
    public abstract bool Matches(FieldValues values);

    public abstract void WriteProperties(Utf8JsonWriter writer);
}

/// <summary>The positive comparisons: hold when any value compares as asked (ordinal).</summary>
internal enum ComparisonKind
{
    Eq,
    Gt,
    Gte,
    Lt,
    Lte,
}

/// <summary><c>$eq</c>, <c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c>: hold when any value compares as asked.</summary>
internal sealed class ComparisonOperator(ComparisonKind kind, string operand) : FieldOperator
{
    public override string Name => kind switch
    {
        ComparisonKind.Eq => FilterNames.Eq,
        ComparisonKind.Gt => FilterNames.Gt,
        ComparisonKind.Gte => FilterNames.Gte,
        ComparisonKind.Lt => FilterNames.Lt,
        _ => FilterNames.Lte,
    };

    public override bool Matches(FieldValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var c = string.CompareOrdinal(value, operand);
            var holds = kind switch
            {
                ComparisonKind.Eq => c == 0,
                ComparisonKind.Gt => c > 0,
                ComparisonKind.Gte => c >= 0,
                ComparisonKind.Lt => c < 0,
                _ => c <= 0,
            };
            if (holds)
            {
                return true;
            }
        }

        return false;
    }

    public override void WriteProperties(Utf8JsonWriter writer) => writer.WriteString(Name, operand);
}

/// <summary><c>$ne</c>: holds when no value equals the operand (so also when the field is absent).</summary>
internal sealed class NotEqualOperator(string operand) : FieldOperator
{
    public override string Name => FilterNames.Ne;

    public override bool Matches(FieldValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (string.Equals(value, operand, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override void WriteProperties(Utf8JsonWriter writer) => writer.WriteString(Name, operand);
}

/// <summary>
/// <c>$in</c> holds when any value is in the set; <c>$nin</c> when none is. The set is kept sorted and without
/// duplicates (the canonical form), and looked up by binary search.
/// </summary>
internal sealed class InOperator : FieldOperator
{
    private readonly string[] _set;
    private readonly bool _negated;

    public InOperator(IEnumerable<string> operands, bool negated)
    {
        _set = [.. new SortedSet<string>(operands, StringComparer.Ordinal)];
        _negated = negated;
    }

    public override string Name => _negated ? FilterNames.Nin : FilterNames.In;

    public override bool Matches(FieldValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (Array.BinarySearch(_set, value, StringComparer.Ordinal) >= 0)
            {
                return !_negated;
            }
        }

        return _negated;
    }

    public override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteStartArray(Name);
        foreach (var item in _set)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary><c>$exists</c>: <see langword="true"/> holds when the field has at least one value.</summary>
internal sealed class ExistsOperator(bool exists) : FieldOperator
{
    public override string Name => FilterNames.Exists;

    public override bool Matches(FieldValues values) => values.Count > 0 == exists;

    public override void WriteProperties(Utf8JsonWriter writer) => writer.WriteBoolean(Name, exists);
}

/// <summary><c>$contains</c> (W&amp;B): holds when any value contains the operand (ordinal substring).</summary>
internal sealed class ContainsOperator(string operand) : FieldOperator
{
    public override string Name => FilterNames.Contains;

    public override bool Matches(FieldValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value.Contains(operand, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public override void WriteProperties(Utf8JsonWriter writer) => writer.WriteString(Name, operand);
}

/// <summary>
/// <c>$regex</c> with optional <c>$options</c>: holds when the pattern occurs in any value (unanchored search,
/// linear time: the regex is compiled with <see cref="RegexOptions.NonBacktracking"/>).
/// </summary>
internal sealed class RegexOperator(string pattern, string options, Regex regex) : FieldOperator
{
    public override string Name => FilterNames.Regex;

    public string Pattern => pattern;

    public override bool Matches(FieldValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (regex.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    public override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(Name, pattern);
        if (options.Length > 0)
        {
            writer.WriteString(FilterNames.Options, options);
        }
    }
}

/// <summary><c>{"$not": {operators}}</c> inside a field: holds when the inner operator expression does not.</summary>
internal sealed class NotOperator(OperatorExpression operand) : FieldOperator
{
    public override string Name => FilterNames.Not;

    public override bool Matches(FieldValues values) => !operand.Matches(values);

    public override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WritePropertyName(Name);
        operand.Write(writer);
    }
}
