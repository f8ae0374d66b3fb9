using System.Text;
using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Domain.Filters;

namespace Automations.Core.Tests.Domain.Filters;

public class EventFilterParseTests
{
    private static IReadOnlyList<ValidationProblem> Problems(string json)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => EventFilter.Parse(json));
        Assert.NotEmpty(ex.Problems);
        return ex.Problems;
    }

    private static ValidationProblem Single(string json)
    {
        var problems = Problems(json);
        Assert.True(problems.Count == 1, "expected one problem, got: " + string.Join(" | ", problems));
        return problems[0];
    }

    [Theory]
    [InlineData("""{"alias":{"$eq":"a"}}""")]
    [InlineData("""{"alias":{"$ne":"a"}}""")]
    [InlineData("""{"alias":{"$gt":"a"}}""")]
    [InlineData("""{"alias":{"$gte":"a"}}""")]
    [InlineData("""{"alias":{"$lt":"a"}}""")]
    [InlineData("""{"alias":{"$lte":"a"}}""")]
    [InlineData("""{"alias":{"$in":["a","b"]}}""")]
    [InlineData("""{"alias":{"$nin":[]}}""")]
    [InlineData("""{"alias":{"$exists":false}}""")]
    [InlineData("""{"alias":{"$regex":"^a"}}""")]
    [InlineData("""{"alias":{"$regex":"^a","$options":"imsx"}}""")]
    [InlineData("""{"alias":{"$options":"i","$regex":"^a"}}""")]
    [InlineData("""{"alias":{"$contains":"a"}}""")]
    [InlineData("""{"alias":{"$not":{"$eq":"a"}}}""")]
    [InlineData("""{"tag":"a"}""")]
    [InlineData("""{"collection":"a"}""")]
    [InlineData("""{"$and":[{"alias":"a"},{"tag":"b"}]}""")]
    [InlineData("""{"$and":[]}""")]
    [InlineData("""{"$or":[{"alias":"a"}]}""")]
    [InlineData("""{"$nor":[{"alias":"a"}]}""")]
    [InlineData("""{"$not":{"alias":"a"}}""")]
    [InlineData("""{"$or":[{"$and":[{"alias":{"$regex":"prod"}}]}]}""")]
    [InlineData(" { } ")]
    public void Valid_filters_parse(string json)
    {
        var filter = EventFilter.Parse(json);
        Assert.True(EventFilter.TryParse(json, out var again, out var problems));
        Assert.Empty(problems);
        Assert.Equal(filter, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"alias\":}")]
    [InlineData("{} {}")]
    [InlineData("{\"alias\":\"a\",}")]
    [InlineData("{/* comment */}")]
    public void Invalid_json_is_one_problem_at_the_root(string json)
    {
        var problem = Single(json);
        Assert.Equal(string.Empty, problem.Path);
        Assert.StartsWith("The filter is not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"alias\"", "a string")]
    [InlineData("null", "null")]
    [InlineData("42", "a number")]
    [InlineData("true", "a boolean")]
    public void Root_must_be_an_object(string json, string described)
    {
        var problem = Single(json);
        Assert.Equal(string.Empty, problem.Path);
        Assert.Contains("must be a JSON object", problem.Message, StringComparison.Ordinal);
        Assert.Contains(described, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_json_element_is_a_problem_not_a_crash()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => EventFilter.Parse(default(JsonElement)));
        Assert.Contains("must be a JSON object", ex.Problems.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_json_element_matches_parse_text()
    {
        using var doc = JsonDocument.Parse("""{"wrapper":{"alias":{"$regex":"^prod"}}}""");
        var filter = EventFilter.Parse(doc.RootElement.GetProperty("wrapper"));
        Assert.Equal(EventFilter.Parse("""{"alias":{"$regex":"^prod"}}"""), filter);
        Assert.True(filter.Matches(new FilterSubject(["production"])));
    }

    [Fact]
    public void Parse_json_element_reports_paths_relative_to_the_element()
    {
        using var doc = JsonDocument.Parse("""{"alias":{"$regex":"("}}""");
        var ex = Assert.Throws<AutomationValidationException>(() => EventFilter.Parse(doc.RootElement));
        Assert.Equal("alias.$regex", ex.Problems.Single().Path);
    }

    [Fact]
    public void Null_text_is_an_argument_error_for_parse_and_a_problem_for_try_parse()
    {
        Assert.Throws<ArgumentNullException>(() => EventFilter.Parse((string)null!));
        Assert.False(EventFilter.TryParse(null, out var filter, out var problems));
        Assert.Null(filter);
        Assert.Equal("No filter was given.", problems.Single().Message);
    }

    [Fact]
    public void Try_parse_returns_every_problem_without_throwing()
    {
        Assert.False(EventFilter.TryParse("""{"name":"x","alias":{"$regex":"(a)\\1"}}""", out var filter, out var problems));
        Assert.Null(filter);
        Assert.Equal(["alias.$regex", "name"], problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Unknown_field_is_named()
    {
        var problem = Single("""{"name":"prod"}""");
        Assert.Equal("name", problem.Path);
        Assert.Contains("Unknown field 'name'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("alias, tag and collection", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
        => Assert.Equal("Alias", Single("""{"Alias":"prod"}""").Path);

    [Fact]
    public void Unknown_top_level_operator_is_named()
    {
        var problem = Single("""{"$where":"this.alias == 'x'"}""");
        Assert.Equal("$where", problem.Path);
        Assert.Contains("Unknown operator '$where'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$eq")]
    [InlineData("$regex")]
    [InlineData("$in")]
    [InlineData("$options")]
    public void Field_operator_at_filter_level_explains_where_it_goes(string op)
    {
        var problem = Single($$$"""{"{{{op}}}":"x"}""");
        Assert.Equal(op, problem.Path);
        Assert.Contains("is a field operator", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_field_operator_is_named_with_its_path()
    {
        var problem = Single("""{"$or":[{"$and":[{"tag":"x"},{"alias":{"$size":1}}]}]}""");
        Assert.Equal("$or[0].$and[1].alias.$size", problem.Path);
        Assert.Contains("Unknown operator '$size'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$and")]
    [InlineData("$or")]
    [InlineData("$nor")]
    public void Logical_operator_inside_a_field_is_rejected(string op)
    {
        var problem = Single($$$"""{"alias":{"{{{op}}}":[{"$eq":"a"}]}}""");
        Assert.Equal("alias." + op, problem.Path);
        Assert.Contains("is a logical operator", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_key_in_an_operator_object_is_rejected()
    {
        var problem = Single("""{"alias":{"$eq":"a","name":"b"}}""");
        Assert.Equal("alias.name", problem.Path);
        Assert.Contains("Expected an operator", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_operator_object_is_rejected()
    {
        var problem = Single("""{"alias":{}}""");
        Assert.Equal("alias", problem.Path);
        Assert.Contains("at least one operator", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alias":["a","b"]}""", "$in")]
    [InlineData("""{"alias":null}""", "$exists")]
    [InlineData("""{"alias":3}""", "a number")]
    [InlineData("""{"alias":false}""", "a boolean")]
    public void Field_value_must_be_a_string_or_an_operator_object(string json, string hint)
    {
        var problem = Single(json);
        Assert.Equal("alias", problem.Path);
        Assert.Contains(hint, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$eq", "1", "a number")]
    [InlineData("$ne", "true", "a boolean")]
    [InlineData("$gt", "null", "null")]
    [InlineData("$gte", "[]", "an array")]
    [InlineData("$lt", "{}", "an object")]
    [InlineData("$lte", "2.5", "a number")]
    [InlineData("$contains", "[\"a\"]", "an array")]
    [InlineData("$regex", "1", "a number")]
    public void String_operators_reject_other_operand_types(string op, string operand, string described)
    {
        var problem = Single($$$"""{"tag":{"{{{op}}}":{{{operand}}}}}""");
        Assert.Equal("tag." + op, problem.Path);
        Assert.Contains($"'{op}' expects a string", problem.Message, StringComparison.Ordinal);
        Assert.Contains(described, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$in")]
    [InlineData("$nin")]
    public void In_operators_need_an_array_of_strings(string op)
    {
        var notArray = Single($$$"""{"alias":{"{{{op}}}":"a"}}""");
        Assert.Equal("alias." + op, notArray.Path);
        Assert.Contains("expects an array of strings", notArray.Message, StringComparison.Ordinal);

        var problems = Problems($$$"""{"alias":{"{{{op}}}":["a",1,null,"b",{}]}}""");
        Assert.Equal([$"alias.{op}[1]", $"alias.{op}[2]", $"alias.{op}[4]"], problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void Exists_needs_a_boolean(string operand)
    {
        var problem = Single($$$"""{"collection":{"$exists":{{{operand}}}}}""");
        Assert.Equal("collection.$exists", problem.Path);
        Assert.Contains("expects true or false", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"^tmp\"")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Field_not_needs_an_operator_object(string operand)
    {
        var problem = Single($$$"""{"alias":{"$not":{{{operand}}}}}""");
        Assert.Equal("alias.$not", problem.Path);
        Assert.Contains("expects an object of operators", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_not_reports_problems_inside_it()
    {
        var problem = Single("""{"alias":{"$not":{"$regex":"["}}}""");
        Assert.Equal("alias.$not.$regex", problem.Path);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Top_level_not_needs_a_filter_object(string operand)
    {
        var problem = Single($$$"""{"$not":{{{operand}}}}""");
        Assert.Equal("$not", problem.Path);
        Assert.Contains("expects a filter object", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$and")]
    [InlineData("$or")]
    [InlineData("$nor")]
    public void Logical_operators_need_an_array_of_filter_objects(string op)
    {
        var notArray = Single($$$"""{"{{{op}}}":{"alias":"a"}}""");
        Assert.Equal(op, notArray.Path);
        Assert.Contains("expects an array of filter objects", notArray.Message, StringComparison.Ordinal);

        var problems = Problems($$$"""{"{{{op}}}":[{"alias":"a"},"b",[],{"alias":"c"}]}""");
        Assert.Equal([$"{op}[1]", $"{op}[2]"], problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData("$or")]
    [InlineData("$nor")]
    public void Empty_or_and_nor_are_rejected(string op)
    {
        var problem = Single($$$"""{"{{{op}}}":[]}""");
        Assert.Equal(op, problem.Path);
        Assert.Contains("at least one filter", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_regex_is_reported_with_the_reason()
    {
        var problem = Single("""{"alias":{"$regex":"[a-"}}""");
        Assert.Equal("alias.$regex", problem.Path);
        Assert.StartsWith("Invalid regular expression:", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(a)\\\\1", "backreference")]
    [InlineData("(?<n>a)\\\\k<n>", "backreference")]
    [InlineData("prod(?=uction)", "lookahead")]
    [InlineData("(?<!pre)prod", "lookbehind")]
    [InlineData("(?>a+)b", "atomic")]
    [InlineData("(?(a)b|c)", "conditional")]
    [InlineData("\\\\Gv", "\\G")]
    [InlineData("((a{100}){100}){100}", "automata")]
    public void Regex_that_cannot_run_in_linear_time_is_rejected(string pattern, string construct)
    {
        var problem = Single($$$"""{"alias":{"$regex":"{{{pattern}}}"}}""");
        Assert.Equal("alias.$regex", problem.Path);
        Assert.Contains("cannot be run in linear time", problem.Message, StringComparison.Ordinal);
        Assert.Contains(construct, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Regex_longer_than_the_cap_is_rejected()
    {
        var ok = new string('a', EventFilter.MaxPatternLength);
        EventFilter.Parse($$$"""{"alias":{"$regex":"{{{ok}}}"}}""");

        var problem = Single($$$"""{"alias":{"$regex":"{{{ok}}}a"}}""");
        Assert.Equal("alias.$regex", problem.Path);
        Assert.Contains("too long: 1001 characters, at most 1000", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"u\"", "Unsupported regex option 'u'")]
    [InlineData("\"ig\"", "Unsupported regex option 'g'")]
    [InlineData("1", "expects a string of regex flags")]
    public void Bad_regex_options_are_rejected(string options, string message)
    {
        var problem = Single($$$"""{"alias":{"$regex":"a","$options":{{{options}}}}}""");
        Assert.Equal("alias.$options", problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_regex_options_and_bad_pattern_are_both_reported()
    {
        var problems = Problems("""{"alias":{"$regex":"(","$options":"q"}}""");
        Assert.Equal(["alias.$options", "alias.$regex"], problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Options_without_regex_are_rejected()
    {
        var problem = Single("""{"alias":{"$eq":"a","$options":"i"}}""");
        Assert.Equal("alias.$options", problem.Path);
        Assert.Contains("only allowed next to '$regex'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_rejected_at_both_levels()
    {
        var problems = Problems("""{"alias":"a","alias":"b","tag":{"$eq":"x","$eq":"y"}}""");
        Assert.Equal(["alias", "tag.$eq"], problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.Contains("more than once", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path()
    {
        const string json = """
            {"$or":[{"$and":[
              {"alias":{"$regex":"prod"}},
              {"alias":{"$regex":"(a)\\1"}},
              {"tag":{"$in":"x"}},
              {"colection":"models"},
              {"collection":{"$exists":"yes","$foo":1}}
            ]}],
             "$not":{"tag":{"$eq":3}}}
            """;
        var ex = Assert.Throws<AutomationValidationException>(() => EventFilter.Parse(json));
        Assert.Equal(
            [
                "$or[0].$and[1].alias.$regex",
                "$or[0].$and[2].tag.$in",
                "$or[0].$and[3].colection",
                "$or[0].$and[4].collection.$exists",
                "$or[0].$and[4].collection.$foo",
                "$not.tag.$eq",
            ],
            ex.Problems.Select(p => p.Path));
        Assert.Contains("(6 problems)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("$or[0].$and[1].alias.$regex: The regular expression cannot be run in linear time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        // Root object is level 1; each $not adds a level; the field's operator object is the last level.
        var json = new StringBuilder();
        const int nots = EventFilter.MaxDepth - 2;
        for (var i = 0; i < nots; i++)
        {
            json.Append("{\"$not\":");
        }

        json.Append("{\"alias\":{\"$eq\":\"a\"}}").Append('}', nots);
        var filter = EventFilter.Parse(json.ToString());
        Assert.Equal(nots % 2 == 1, !filter.Matches(new FilterSubject(["a"])));
    }

    [Fact]
    public void Nesting_past_the_limit_is_one_clear_problem()
    {
        var json = new StringBuilder();
        const int levels = EventFilter.MaxDepth + 10;
        for (var i = 0; i < levels; i++)
        {
            json.Append("{\"$and\":[");
        }

        json.Append("{}");
        for (var i = 0; i < levels; i++)
        {
            json.Append("]}");
        }

        var problem = Single(json.ToString());
        Assert.Contains("nested too deeply", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("$and[0].$and[0].", problem.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Operator_nesting_counts_toward_the_depth_limit()
    {
        var json = new StringBuilder("{\"alias\":");
        for (var i = 0; i < EventFilter.MaxDepth + 5; i++)
        {
            json.Append("{\"$not\":");
        }

        json.Append("{\"$eq\":\"a\"}").Append('}', EventFilter.MaxDepth + 5).Append('}');
        var problem = Single(json.ToString());
        Assert.Contains("nested too deeply", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("alias.$not.$not", problem.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurdly_deep_json_is_a_problem_not_a_stack_overflow()
    {
        const int levels = 100_000;
        var json = new StringBuilder(levels * 11);
        for (var i = 0; i < levels; i++)
        {
            json.Append("{\"$not\":");
        }

        json.Append("{}").Append('}', levels);
        var problem = Single(json.ToString());
        Assert.Equal(string.Empty, problem.Path);
        Assert.Contains("depth", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_in_values_is_one_clear_problem()
    {
        var values = string.Join(",", Enumerable.Range(0, EventFilter.MaxNodes).Select(i => $"\"v{i}\""));
        var problem = Single($$$"""{"alias":{"$in":[{{{values}}}]}}""");
        Assert.Contains("too large", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("alias.$in[", problem.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_conditions_is_one_clear_problem()
    {
        var items = string.Join(",", Enumerable.Range(0, 600).Select(i => $$$"""{"alias":"a{{{i}}}"}"""));
        var problem = Single($$$"""{"$or":[{{{items}}}]}""");
        Assert.Contains("too large", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_filter_under_the_node_limit_is_accepted()
    {
        var values = string.Join(",", Enumerable.Range(0, 900).Select(i => $"\"v{i}\""));
        var filter = EventFilter.Parse($$$"""{"alias":{"$in":[{{{values}}}]}}""");
        Assert.True(filter.Matches(new FilterSubject(["v899"])));
    }

    [Fact]
    public void Unpaired_surrogates_are_problems_not_crashes()
    {
        var problems = Problems("""{"alias":"\ud800","tag":{"$in":["\udc00"]},"\ud800":"x"}""");
        Assert.Equal(["alias", "tag.$in[0]", string.Empty], problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.Contains("unpaired surrogate", p.Message, StringComparison.Ordinal));
    }
}
