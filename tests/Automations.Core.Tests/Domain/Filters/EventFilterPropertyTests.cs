using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Automations.Core.Domain.Filters;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Automations.Core.Tests.Domain.Filters;

/// <summary>
/// Random filters (built as JSON, in any shape the language allows) against random subjects: the canonical JSON
/// is a fixed point, and the compiled filter agrees with a naive reference evaluator of MongoDB semantics.
/// </summary>
public class EventFilterPropertyTests
{
    private static readonly string[] Words = ["", "a", "b", "ab", "ba", "prod", "Prod", "production", "v1", "v10", "v9", "é"];

    private static readonly (string Pattern, string Options)[] Patterns =
    [
        ("^a", ""), ("b$", ""), ("a.*b", ""), ("^(prod|v1)$", ""), ("PROD", "i"), ("^v\\d+$", ""), ("^V \\d", "ix"), ("", ""),
    ];

    private static readonly string[] Fields = ["alias", "tag", "collection"];

    private static Gen<string> Word => Gen.Elements(Words);

    private static Gen<JsonNode> OperatorObject(int size) =>
        Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(Operator(size), n)).Select(ops =>
        {
            var obj = new JsonObject();
            foreach (var (key, value, options) in ops)
            {
                if (obj.ContainsKey(key))
                {
                    continue;
                }

                obj[key] = value;
                if (options is not null)
                {
                    obj["$options"] = options;
                }
            }

            return (JsonNode)obj;
        });

    private static Gen<(string Key, JsonNode Value, string? Options)> Operator(int size)
    {
        var simple = Gen.Elements("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$contains")
            .SelectMany(op => Word.Select(w => (op, (JsonNode)JsonValue.Create(w)!, (string?)null)));
        var set = Gen.Elements("$in", "$nin")
            .SelectMany(op => Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(Word, n)).Select(ws => (op, (JsonNode)new JsonArray([.. ws.Select(w => (JsonNode)JsonValue.Create(w)!)]), (string?)null)));
        var exists = Gen.Elements(true, false).Select(b => ("$exists", (JsonNode)JsonValue.Create(b)!, (string?)null));
        var regex = Gen.Elements(Patterns).Select(p => ("$regex", (JsonNode)JsonValue.Create(p.Pattern)!, p.Options.Length == 0 ? null : p.Options));
        var gens = new List<Gen<(string, JsonNode, string?)>> { simple, simple, set, exists, regex };
        if (size > 0)
        {
            gens.Add(OperatorObject(size / 2).Select(o => ("$not", o, (string?)null)));
        }

        return Gen.OneOf(gens);
    }

    private static Gen<JsonNode> FieldValue(int size) => Gen.Frequency(
        (1, Word.Select(w => (JsonNode)JsonValue.Create(w)!)),
        (3, OperatorObject(size)));

    private static Gen<JsonNode> Filter(int size) =>
        Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Clause(size), n)).Select(clauses =>
        {
            var obj = new JsonObject();
            foreach (var (key, value) in clauses)
            {
                if (!obj.ContainsKey(key))
                {
                    obj[key] = value;
                }
            }

            return (JsonNode)obj;
        });

    private static Gen<(string Key, JsonNode Value)> Clause(int size)
    {
        var field = Gen.Elements(Fields).SelectMany(f => FieldValue(size).Select(v => (f, v)));
        if (size <= 0)
        {
            return field;
        }

        var inner = Filter(size / 3);
        var logical = Gen.Elements("$and", "$or", "$nor").SelectMany(op =>
            Gen.Choose(op == "$and" ? 0 : 1, 3).SelectMany(n => Gen.ListOf(inner, n))
                .Select(items => (op, (JsonNode)new JsonArray([.. items]))));
        var not = inner.Select(f => ("$not", f));
        return Gen.Frequency((3, field), (2, logical), (1, not));
    }

    private static Gen<FilterSubject> Subject =>
        from aliases in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Word, n))
        from tags in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Word, n))
        from collection in Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Word.Select(w => (string?)w)))
        select new FilterSubject(aliases, tags, collection);

    private static Arbitrary<(string Json, FilterSubject[] Subjects)> Cases =>
        Gen.Sized(size => Filter(Math.Min(size, 30)))
            .SelectMany(f => Gen.ArrayOf(Subject, 8).Select(s => (f.ToJsonString(), s)))
            .ToArbitrary();

    [Property(MaxTest = 400)]
    public Property Canonical_json_is_a_fixed_point_and_matching_agrees_with_the_reference() =>
        Prop.ForAll(Cases, c =>
        {
            var filter = EventFilter.Parse(c.Json);
            var canonical = filter.ToJson();
            var again = EventFilter.Parse(canonical);
            if (again.ToJson() != canonical || !again.Equals(filter))
            {
                return false;
            }

            var reference = JsonNode.Parse(c.Json)!;
            foreach (var subject in c.Subjects)
            {
                var expected = Reference.Matches(reference, subject);
                if (filter.Matches(subject) != expected || again.Matches(subject) != expected)
                {
                    return false;
                }
            }

            return true;
        });

    [Property(MaxTest = 200)]
    public Property Canonical_json_does_not_depend_on_key_order() =>
        Prop.ForAll(Cases, c =>
        {
            var reversed = Reverse(JsonNode.Parse(c.Json)!);
            return EventFilter.Parse(reversed.ToJsonString()).Equals(EventFilter.Parse(c.Json));
        });

    private static JsonNode Reverse(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Reverse(p.Value!)))),
        JsonArray arr => new JsonArray([.. arr.Select(n => (JsonNode?)Reverse(n!))]),
        _ => node.DeepClone(),
    };

    [Fact]
    public void Generated_filters_are_not_trivial()
    {
        // Guards the generator: a good share of cases must both match and fail to match, or the property proves little.
        var samples = Cases.Generator.Sample(20, 200);
        var verdicts = samples.SelectMany(c => c.Subjects.Select(s => EventFilter.Parse(c.Json).Matches(s))).ToList();
        Assert.InRange(verdicts.Count(v => v), verdicts.Count / 10, verdicts.Count * 9 / 10);
        Assert.Contains(samples, c => c.Json.Contains("$regex", StringComparison.Ordinal));
        Assert.Contains(samples, c => c.Json.Contains("$not", StringComparison.Ordinal));
        Assert.Contains(samples, c => c.Json.Contains("$nor", StringComparison.Ordinal));
    }

    /// <summary>A naive, independent reading of the language's semantics, straight from the JSON.</summary>
    private static class Reference
    {
        public static bool Matches(JsonNode filter, FilterSubject subject) => filter.AsObject().All(p => p.Key switch
        {
            "$and" => p.Value!.AsArray().All(f => Matches(f!, subject)),
            "$or" => p.Value!.AsArray().Any(f => Matches(f!, subject)),
            "$nor" => !p.Value!.AsArray().Any(f => Matches(f!, subject)),
            "$not" => !Matches(p.Value!, subject),
            "alias" => Field(p.Value!, subject.Aliases.ToArray()),
            "tag" => Field(p.Value!, subject.Tags.ToArray()),
            "collection" => Field(p.Value!, subject.Collection is null ? [] : [subject.Collection]),
            _ => throw new InvalidOperationException(p.Key),
        });

        private static bool Field(JsonNode value, string[] values) => value is JsonObject ops
            ? Operators(ops, values)
            : values.Contains(value.GetValue<string>());

        private static bool Operators(JsonObject ops, string[] values) => ops.All(p => p.Key switch
        {
            "$eq" => values.Any(v => v == S(p.Value)),
            "$ne" => values.All(v => v != S(p.Value)),
            "$gt" => values.Any(v => string.CompareOrdinal(v, S(p.Value)) > 0),
            "$gte" => values.Any(v => string.CompareOrdinal(v, S(p.Value)) >= 0),
            "$lt" => values.Any(v => string.CompareOrdinal(v, S(p.Value)) < 0),
            "$lte" => values.Any(v => string.CompareOrdinal(v, S(p.Value)) <= 0),
            "$contains" => values.Any(v => v.Contains(S(p.Value), StringComparison.Ordinal)),
            "$in" => values.Any(v => p.Value!.AsArray().Any(x => S(x) == v)),
            "$nin" => !values.Any(v => p.Value!.AsArray().Any(x => S(x) == v)),
            "$exists" => values.Length > 0 == p.Value!.GetValue<bool>(),
            "$regex" => values.Any(v => Regex.IsMatch(v, S(p.Value), RegexFlags(ops))),
            "$options" => true,
            "$not" => !Operators(p.Value!.AsObject(), values),
            _ => throw new InvalidOperationException(p.Key),
        });

        private static RegexOptions RegexFlags(JsonObject ops)
        {
            var flags = ops.TryGetPropertyValue("$options", out var o) ? S(o) : string.Empty;
            var options = RegexOptions.CultureInvariant;
            options |= flags.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : 0;
            options |= flags.Contains('x', StringComparison.Ordinal) ? RegexOptions.IgnorePatternWhitespace : 0;
            return options;
        }

        private static string S(JsonNode? node) => node!.GetValue<string>();
    }
}
