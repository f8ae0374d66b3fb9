namespace Automations.Cli.Tests.Commands;

public sealed class MatchCommandTests : IDisposable
{
    private const string WandbFilter = """{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("automations-match-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Matching_event_prints_match_and_exits_0()
    {
        var (code, output, error) = await CliRunner.RunAsync("match", "--filter", WandbFilter, "--vars", """{"alias":"production"}""");
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("match", output.Trim());
        Assert.Empty(error);
    }

    [Fact]
    public async Task Non_matching_event_prints_no_match_and_exits_1()
    {
        var (code, output, error) = await CliRunner.RunAsync("match", "--filter", WandbFilter, "--vars", """{"alias":"staging"}""");
        Assert.Equal(CliApp.Negative, code);
        Assert.Equal("no match", output.Trim());
        Assert.Empty(error);
    }

    [Fact]
    public async Task Several_aliases_and_tags_use_any_value_semantics()
    {
        const string filter = """{"alias":"prod","tag":{"$nin":["wip"]},"collection":"my-model"}""";
        var yes = await CliRunner.RunAsync("match", "--filter", filter, "--vars", """{"alias":["v3","prod"],"tag":["nightly"],"collection":"my-model"}""");
        Assert.Equal(CliApp.Ok, yes.ExitCode);

        var no = await CliRunner.RunAsync("match", "--filter", filter, "--vars", """{"alias":["v3","prod"],"tag":["nightly","wip"],"collection":"my-model"}""");
        Assert.Equal(CliApp.Negative, no.ExitCode);
        Assert.Equal("no match", no.Out.Trim());
    }

    [Fact]
    public async Task Filter_and_vars_can_come_from_files()
    {
        var filter = WriteFile("filter.json", WandbFilter);
        var vars = WriteFile("vars.json", """{ "alias": ["v1", "prod"], "collection": null }""");
        var (code, output, _) = await CliRunner.RunAsync("match", "--filter", filter, "--vars", vars);
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("match", output.Trim());

        var otherVars = WriteFile("other.json", """{"tag":"x"}""");
        var miss = await CliRunner.RunAsync("match", "--filter", filter, "--vars", otherVars);
        Assert.Equal(CliApp.Negative, miss.ExitCode);
    }

    [Fact]
    public async Task Empty_filter_matches_empty_vars()
    {
        var (code, output, _) = await CliRunner.RunAsync("match", "--filter", "{}", "--vars", "{}");
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal("match", output.Trim());
    }

    [Fact]
    public async Task Invalid_filter_prints_every_problem_with_its_path_and_exits_2()
    {
        const string filter = """{"$or":[{"$and":[{"alias":{"$regex":"(a)\\1"}},{"colour":"red"}]}]}""";
        var (code, output, error) = await CliRunner.RunAsync("match", "--filter", filter, "--vars", """{"alias":"a"}""");
        Assert.Equal(CliApp.Usage, code);
        Assert.Empty(output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("filter.$or[0].$and[0].alias.$regex: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("linear time", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("filter.$or[0].$and[1].colour: Unknown field 'colour'", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_filter_in_a_file_exits_2()
    {
        var filter = WriteFile("bad.json", """{"alias":{"$in":"prod"}}""");
        var (code, _, error) = await CliRunner.RunAsync("match", "--filter", filter, "--vars", "{}");
        Assert.Equal(CliApp.Usage, code);
        Assert.StartsWith("filter.alias.$in: '$in' expects an array of strings", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_vars_and_invalid_filter_are_reported_together()
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "match", "--filter", """{"alias":{"$exists":"yes"}}""", "--vars", """{"alias":[1,"a"],"tag":{},"collection":3,"stage":"x"}""");
        Assert.Equal(CliApp.Usage, code);
        Assert.Empty(output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["filter.alias.$exists", "vars.alias[0]", "vars.tag", "vars.collection", "vars.stage"],
            lines.Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Theory]
    [InlineData("[1]", "vars: Expected a JSON object")]
    [InlineData("{\"alias\":", "vars: Not valid JSON")]
    [InlineData("{\"alias\":\"a\",\"alias\":\"b\"}", "vars.alias: This field appears more than once")]
    [InlineData("{\"alias\":\"\\ud800\"}", "vars: A key or value is not valid UTF-16")]
    public async Task Malformed_vars_exit_2(string vars, string expected)
    {
        var (code, output, error) = await CliRunner.RunAsync("match", "--filter", "{}", "--vars", vars);
        Assert.Equal(CliApp.Usage, code);
        Assert.Empty(output);
        Assert.StartsWith(expected, error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_that_is_not_json_is_one_root_problem()
    {
        var (code, _, error) = await CliRunner.RunAsync("match", "--filter", "{alias: prod}", "--vars", "{}");
        Assert.Equal(CliApp.Usage, code);
        Assert.StartsWith("filter: The filter is not valid JSON", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_reported_and_exits_2()
    {
        var missing = Path.Combine(_dir, "nope.json");
        var (code, _, error) = await CliRunner.RunAsync("match", "--filter", missing, "--vars", "{}");
        Assert.Equal(CliApp.Usage, code);
        Assert.Contains("filter: '" + missing + "' is neither inline JSON", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("match", "--vars", "{}")]
    [InlineData("match", "--filter", "{}")]
    [InlineData("match", "--filter")]
    public async Task Missing_options_are_bad_usage(params string[] args)
    {
        var (code, output, error) = await CliRunner.RunAsync(args);
        Assert.Equal(CliApp.Usage, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }
}
