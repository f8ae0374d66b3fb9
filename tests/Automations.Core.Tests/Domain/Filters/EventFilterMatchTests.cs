using Automations.Core.Domain.Filters;

namespace Automations.Core.Tests.Domain.Filters;

public class EventFilterMatchTests
{
    private static bool Matches(string filter, string[]? aliases = null, string[]? tags = null, string? collection = null)
        => EventFilter.Parse(filter).Matches(new FilterSubject(aliases, tags, collection));

    [Fact]
    public void Empty_filter_matches_everything()
    {
        Assert.True(EventFilter.MatchAll.Matches(default));
        Assert.True(EventFilter.MatchAll.Matches(new FilterSubject(["prod"], ["x"], "models")));
        Assert.True(Matches("{}"));
        Assert.True(Matches("{}", ["prod"], ["x"], "c"));
    }

    [Theory]
    [InlineData(new[] { "v3", "production" }, true)]
    [InlineData(new[] { "prod" }, true)]
    [InlineData(new[] { "staging" }, false)]
    [InlineData(new string[0], false)]
    public void Wandb_wrapped_alias_regex(string[] aliases, bool expected)
    {
        const string filter = """{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}""";
        Assert.Equal(expected, Matches(filter, aliases));
    }

    [Fact]
    public void Wandb_wrapped_empty_condition_matches_everything()
    {
        Assert.True(Matches("""{"$or":[{"$and":[]}]}"""));
        Assert.True(Matches("""{"$or":[{"$and":[]}]}""", ["x"], ["y"], "z"));
    }

    [Fact]
    public void Wandb_wrapped_with_several_conditions_requires_all()
    {
        const string filter = """{"$or":[{"$and":[{"alias":{"$eq":"prod"}},{"tag":{"$in":["nightly","weekly"]}}]}]}""";
        Assert.True(Matches(filter, ["prod"], ["weekly"]));
        Assert.False(Matches(filter, ["prod"], ["daily"]));
        Assert.False(Matches(filter, ["dev"], ["weekly"]));
    }

    [Fact]
    public void Bare_value_means_eq()
    {
        Assert.True(Matches("""{"alias":"prod"}""", ["latest", "prod"]));
        Assert.False(Matches("""{"alias":"prod"}""", ["production"]));
        Assert.False(Matches("""{"alias":"prod"}"""));
    }

    [Fact]
    public void Several_keys_in_one_object_mean_and()
    {
        const string filter = """{"alias":"prod","tag":"nightly","collection":"models"}""";
        Assert.True(Matches(filter, ["prod"], ["nightly"], "models"));
        Assert.False(Matches(filter, ["prod"], ["nightly"], "datasets"));
        Assert.False(Matches(filter, ["prod"], [], "models"));
        Assert.False(Matches(filter, [], ["nightly"], "models"));
    }

    [Fact]
    public void Several_operators_on_one_field_each_hold_for_any_value()
    {
        // MongoDB semantics without $elemMatch: each operator may be satisfied by a different value.
        const string filter = """{"alias":{"$gte":"v1","$lt":"v5"}}""";
        Assert.True(Matches(filter, ["v3"]));
        Assert.True(Matches(filter, ["v0", "v9"]));
        Assert.False(Matches(filter, ["v9"]));
        Assert.False(Matches(filter, ["v0"]));
    }

    [Theory]
    [InlineData("$eq", "b", new[] { "a", "b" }, true)]
    [InlineData("$eq", "b", new[] { "a", "c" }, false)]
    [InlineData("$eq", "B", new[] { "b" }, false)]
    [InlineData("$gt", "b", new[] { "a", "c" }, true)]
    [InlineData("$gt", "b", new[] { "a", "b" }, false)]
    [InlineData("$gte", "b", new[] { "a", "b" }, true)]
    [InlineData("$gte", "b", new[] { "a" }, false)]
    [InlineData("$lt", "b", new[] { "c", "a" }, true)]
    [InlineData("$lt", "b", new[] { "b", "c" }, false)]
    [InlineData("$lte", "b", new[] { "c", "b" }, true)]
    [InlineData("$lte", "b", new[] { "c" }, false)]
    [InlineData("$lt", "a", new[] { "B" }, true)]
    [InlineData("$lt", "v9", new[] { "v10" }, true)]
    [InlineData("$gt", "", new[] { "a" }, true)]
    [InlineData("$contains", "rod", new[] { "x", "production" }, true)]
    [InlineData("$contains", "ROD", new[] { "production" }, false)]
    [InlineData("$contains", "", new[] { "x" }, true)]
    public void Positive_operators_hold_when_any_value_satisfies_them(string op, string operand, string[] aliases, bool expected)
    {
        var filter = $$$"""{"alias":{"{{{op}}}":"{{{operand}}}"}}""";
        Assert.Equal(expected, Matches(filter, aliases));
    }

    [Theory]
    [InlineData("$eq")]
    [InlineData("$gt")]
    [InlineData("$gte")]
    [InlineData("$lt")]
    [InlineData("$lte")]
    [InlineData("$contains")]
    [InlineData("$regex")]
    public void Positive_operators_never_hold_for_an_absent_field(string op)
    {
        var filter = $$$"""{"alias":{"{{{op}}}":""}}""";
        Assert.False(Matches(filter));
        Assert.False(Matches(filter, [], ["x"], "c"));
    }

    [Fact]
    public void Ne_holds_only_when_no_value_equals()
    {
        const string filter = """{"alias":{"$ne":"prod"}}""";
        Assert.True(Matches(filter, ["staging"]));
        Assert.True(Matches(filter, []));
        Assert.False(Matches(filter, ["prod"]));
        Assert.False(Matches(filter, ["staging", "prod"]));
    }

    [Fact]
    public void In_holds_when_any_value_is_in_the_set()
    {
        const string filter = """{"tag":{"$in":["nightly","weekly"]}}""";
        Assert.True(Matches(filter, tags: ["x", "weekly"]));
        Assert.False(Matches(filter, tags: ["x", "daily"]));
        Assert.False(Matches(filter, tags: []));
        Assert.False(Matches("""{"tag":{"$in":[]}}""", tags: ["x"]));
    }

    [Fact]
    public void Nin_holds_only_when_no_value_is_in_the_set()
    {
        const string filter = """{"tag":{"$nin":["wip","broken"]}}""";
        Assert.True(Matches(filter, tags: ["nightly"]));
        Assert.True(Matches(filter, tags: []));
        Assert.False(Matches(filter, tags: ["nightly", "wip"]));
        Assert.True(Matches("""{"tag":{"$nin":[]}}""", tags: ["x"]));
    }

    [Fact]
    public void In_with_many_values_finds_each_of_them()
    {
        var values = Enumerable.Range(0, 200).Select(i => "v" + i).ToArray();
        var filter = EventFilter.Parse("""{"alias":{"$in":[""" + string.Join(",", values.Select(v => $"\"{v}\"")) + "]}}");
        foreach (var v in values)
        {
            Assert.True(filter.Matches(new FilterSubject([v])), v);
        }

        Assert.False(filter.Matches(new FilterSubject(["v200"])));
    }

    [Theory]
    [InlineData("alias", true, new[] { "a" }, new string[0], null, true)]
    [InlineData("alias", true, new string[0], new[] { "t" }, "c", false)]
    [InlineData("alias", false, new string[0], new[] { "t" }, "c", true)]
    [InlineData("alias", false, new[] { "a" }, new string[0], null, false)]
    [InlineData("tag", true, new string[0], new[] { "t" }, null, true)]
    [InlineData("tag", false, new string[0], new[] { "t" }, null, false)]
    [InlineData("collection", true, new string[0], new string[0], "c", true)]
    [InlineData("collection", true, new string[0], new string[0], "", true)]
    [InlineData("collection", true, new[] { "a" }, new[] { "t" }, null, false)]
    [InlineData("collection", false, new string[0], new string[0], null, true)]
    [InlineData("collection", false, new string[0], new string[0], "c", false)]
    public void Exists_tests_whether_the_field_has_a_value(string field, bool exists, string[] aliases, string[] tags, string? collection, bool expected)
    {
        var filter = $$$"""{"{{{field}}}":{"$exists":{{{(exists ? "true" : "false")}}}}}""";
        Assert.Equal(expected, Matches(filter, aliases, tags, collection));
    }

    [Fact]
    public void Collection_is_a_single_valued_field()
    {
        Assert.True(Matches("""{"collection":"models"}""", collection: "models"));
        Assert.False(Matches("""{"collection":"models"}""", collection: "datasets"));
        Assert.False(Matches("""{"collection":"models"}"""));
        Assert.True(Matches("""{"collection":{"$ne":"models"}}"""));
        Assert.True(Matches("""{"collection":{"$regex":"^data"}}""", collection: "datasets"));
        Assert.True(Matches("""{"collection":{"$in":["a","models"]}}""", collection: "models"));
        Assert.False(Matches("""{"collection":{"$nin":["a","models"]}}""", collection: "models"));
    }

    [Theory]
    [InlineData("^prod", "", "production", true)]
    [InlineData("^prod", "", "PRODUCTION", false)]
    [InlineData("^prod", "i", "PRODUCTION", true)]
    [InlineData("quality", "", "test-set-quality-check", true)]
    [InlineData("^quality$", "", "test-set-quality-check", false)]
    [InlineData("^prod$", "", "x\nprod", false)]
    [InlineData("^prod$", "m", "x\nprod", true)]
    [InlineData("a.b", "", "a\nb", false)]
    [InlineData("a.b", "s", "a\nb", true)]
    [InlineData("^v \\d+ $ # a version", "x", "v12", true)]
    [InlineData("^v \\d+ $", "", "v12", false)]
    [InlineData("^V\\d+$", "ix", "v12", true)]
    [InlineData("^é", "i", "ÉTÉ", true)]
    public void Regex_searches_each_value_with_its_options(string pattern, string options, string alias, bool expected)
    {
        var filter = options.Length == 0
            ? new { alias = new Dictionary<string, string> { ["$regex"] = pattern } } as object
            : new { alias = new Dictionary<string, string> { ["$regex"] = pattern, ["$options"] = options } };
        var json = System.Text.Json.JsonSerializer.Serialize(filter);
        Assert.Equal(expected, Matches(json, ["other", alias]));
    }

    [Fact]
    public void Regex_matches_when_any_value_matches()
    {
        const string filter = """{"alias":{"$regex":"^v[0-9]+$"}}""";
        Assert.True(Matches(filter, ["latest", "v12"]));
        Assert.False(Matches(filter, ["latest", "best"]));
    }

    [Fact]
    public void Field_not_negates_the_operator_object()
    {
        const string filter = """{"alias":{"$not":{"$regex":"^tmp"}}}""";
        Assert.True(Matches(filter, ["prod"]));
        Assert.True(Matches(filter, []));
        Assert.False(Matches(filter, ["tmp-1"]));
        Assert.False(Matches(filter, ["prod", "tmp-1"]));
    }

    [Fact]
    public void Field_not_of_several_operators_negates_their_conjunction()
    {
        const string filter = """{"alias":{"$not":{"$gte":"b","$lte":"d"}}}""";
        Assert.False(Matches(filter, ["c"]));
        Assert.True(Matches(filter, ["a"]));
        Assert.True(Matches(filter, ["e"]));
    }

    [Fact]
    public void Double_not_inside_a_field_is_the_operator_itself()
    {
        const string filter = """{"alias":{"$not":{"$not":{"$eq":"prod"}}}}""";
        Assert.True(Matches(filter, ["prod"]));
        Assert.False(Matches(filter, ["dev"]));
    }

    [Fact]
    public void Top_level_not_negates_a_filter()
    {
        const string filter = """{"$not":{"alias":"prod","tag":"x"}}""";
        Assert.False(Matches(filter, ["prod"], ["x"]));
        Assert.True(Matches(filter, ["prod"], ["y"]));
        Assert.True(Matches(filter));
    }

    [Fact]
    public void Or_holds_when_any_filter_holds()
    {
        const string filter = """{"$or":[{"alias":"prod"},{"tag":"release"}]}""";
        Assert.True(Matches(filter, ["prod"]));
        Assert.True(Matches(filter, tags: ["release"]));
        Assert.False(Matches(filter, ["dev"], ["wip"]));
    }

    [Fact]
    public void And_holds_when_every_filter_holds()
    {
        const string filter = """{"$and":[{"alias":{"$regex":"^v"}},{"alias":{"$ne":"v0"}}]}""";
        Assert.True(Matches(filter, ["v1"]));
        Assert.False(Matches(filter, ["v0"]));
        Assert.False(Matches(filter, ["v1", "v0"]));
        Assert.True(Matches("""{"$and":[]}"""));
    }

    [Fact]
    public void Nor_holds_when_no_filter_holds()
    {
        const string filter = """{"$nor":[{"alias":"prod"},{"tag":"release"}]}""";
        Assert.False(Matches(filter, ["prod"]));
        Assert.False(Matches(filter, tags: ["release"]));
        Assert.True(Matches(filter, ["dev"], ["wip"]));
        Assert.True(Matches(filter));
    }

    [Fact]
    public void Logical_and_field_keys_combine_in_one_object()
    {
        const string filter = """{"collection":"models","$or":[{"alias":"prod"},{"alias":"staging"}]}""";
        Assert.True(Matches(filter, ["staging"], collection: "models"));
        Assert.False(Matches(filter, ["staging"], collection: "data"));
        Assert.False(Matches(filter, ["dev"], collection: "models"));
    }

    [Fact]
    public void Hostile_regex_runs_in_linear_time_and_gives_the_right_answer()
    {
        var filter = EventFilter.Parse("""{"alias":{"$regex":"(a+)+$"}}""");
        var evil = new string('a', 50_000) + "!";
        Assert.False(filter.Matches(new FilterSubject([evil])));
        Assert.True(filter.Matches(new FilterSubject([evil, new string('a', 50_000)])));

        var nested = EventFilter.Parse("""{"alias":{"$regex":"^(a|aa)*(b|ab)*c$"}}""");
        Assert.False(nested.Matches(new FilterSubject([new string('a', 50_000) + "d"])));
        Assert.True(nested.Matches(new FilterSubject([new string('a', 50_000) + "c"])));

        var star = EventFilter.Parse("""{"alias":{"$regex":"^(.*a){20}$"}}""");
        Assert.False(star.Matches(new FilterSubject([new string('a', 19) + new string('b', 50_000)])));
    }

    [Fact]
    public void Matches_allocates_nothing_once_warm()
    {
        var filter = EventFilter.Parse("""
            {"$or":[{"$and":[
              {"alias":{"$regex":"^prod","$options":"i"}},
              {"tag":{"$nin":["wip","broken"]}},
              {"collection":{"$in":["models","datasets"],"$exists":true}},
              {"$nor":[{"alias":{"$contains":"tmp"}}]},
              {"$not":{"tag":{"$gt":"zzz"}}}
            ]}]}
            """);
        var subject = new FilterSubject(["v3", "Production"], ["nightly"], "models");
        Assert.True(filter.Matches(subject));

        var result = true;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            result &= filter.Matches(in subject);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(result);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task One_filter_is_safe_to_share_between_threads()
    {
        var filter = EventFilter.Parse("""{"alias":{"$regex":"^v(\\d+)$"},"tag":{"$ne":"wip"}}""");
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var wrong = 0;
            for (var i = 0; i < 2_000; i++)
            {
                var alias = i % 2 == 0 ? "v" + i : "x" + i;
                if (filter.Matches(new FilterSubject([alias], ["t" + t])) != (i % 2 == 0))
                {
                    wrong++;
                }
            }

            return wrong;
        }));

        var results = await Task.WhenAll(tasks);
        Assert.All(results, wrong => Assert.Equal(0, wrong));
    }
}
