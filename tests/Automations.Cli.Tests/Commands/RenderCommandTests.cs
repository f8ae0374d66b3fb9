using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Cli.Tests.Commands;

public sealed class RenderCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("render-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Renders_a_preset_with_inline_vars()
    {
        var template = WriteFile("github.json", PayloadTemplatePresets.GitHubRepositoryDispatchText);

        var (code, output, error) = await CliRunner.RunAsync(
            "render", "--template", template,
            "--vars", """{"event_author": "alice", "artifact_id": "517889887", "entity_name": "acme", "project_name": "vision"}""");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        using var doc = JsonDocument.Parse(output);
        var payload = doc.RootElement.GetProperty("client_payload");
        Assert.Equal("alice", payload.GetProperty("event_author").GetString());
        Assert.Equal("wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3", payload.GetProperty("artifact_version").GetString());
        Assert.Equal("acme", payload.GetProperty("entity_name").GetString());
        Assert.Equal(string.Empty, payload.GetProperty("artifact_collection_name").GetString());
    }

    [Fact]
    public async Task Reads_vars_from_a_file_with_metadata_and_a_verbatim_artifact_version()
    {
        var template = WriteFile("t.json", """{"v": "${artifact_version}", "rows": ${artifact_metadata.rows}, "name": "${artifact_metadata.name}", "alias": "${alias}"}""");
        var vars = WriteFile("vars.json", """{"artifact_version": "registry://models/resnet:v3", "artifact_metadata": {"rows": 1200, "name": "mnist"}, "alias": null}""");

        var (code, output, error) = await CliRunner.RunAsync("render", "--template", template, "--vars", vars);

        Assert.True(code == 0, error);
        Assert.Equal("""{"v": "registry://models/resnet:v3", "rows": "1200", "name": "mnist", "alias": ""}""" + Environment.NewLine, output);
    }

    [Fact]
    public async Task Secrets_come_from_the_command_line_or_the_environment()
    {
        var variable = "RENDER_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var template = WriteFile("t.json", $$"""{"a": "${TOKEN}", "b": "${{{variable}}}"}""");

            var (code, output, error) = await CliRunner.RunAsync("render", "--template", template, "--secret", "TOKEN=a=b\"c", "--secret", variable);

            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal("a=b\"c", doc.RootElement.GetProperty("a").GetString());
            Assert.Equal("from-env", doc.RootElement.GetProperty("b").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Template_problems_are_listed_with_positions_and_exit_2()
    {
        var template = WriteFile("bad.json", "{\n  \"a\": \"${event_typ}\",\n  \"b\": \"${}\"\n}");

        var (code, output, error) = await CliRunner.RunAsync("render", "--template", template);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("template: line 2, column 9: unknown variable '${event_typ}'", error, StringComparison.Ordinal);
        Assert.Contains("template: line 3, column 9: empty placeholder", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_secret_is_named_and_exits_2()
    {
        var template = WriteFile("t.json", """{"a": "${GITHUB_TOKEN}"}""");

        var (code, output, error) = await CliRunner.RunAsync("render", "--template", template);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("secrets.GITHUB_TOKEN", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_secret_entries_never_echo_their_value()
    {
        var template = WriteFile("t.json", """{"a": "x"}""");

        var (code, _, error) = await CliRunner.RunAsync("render", "--template", template, "--secret", "bad-name=hunter2", "--secret", "UNSET_" + Guid.NewGuid().ToString("N"));

        Assert.Equal(2, code);
        Assert.Contains("entry 1 is not NAME=VALUE", error, StringComparison.Ordinal);
        Assert.Contains("environment variable", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"event_author": 42}""", "vars.event_author: must be a string")]
    [InlineData("""{"evnt_type": "x"}""", "vars.evnt_type: unknown variable")]
    [InlineData("""{"artifact_metadata": [1]}""", "vars.artifact_metadata: must be a JSON object")]
    [InlineData("""{"artifact_id": "1", "artifact_version": "r"}""", "not both")]
    [InlineData("""["not", "an", "object"]""", "--vars: must be a JSON object")]
    [InlineData("""{"tag": "a", "tag": "b"}""", "vars.tag: is given more than once")]
    [InlineData("""{"artifact_metadata": {"k": 1, "k": 2}}""", "vars.artifact_metadata.k: is given more than once")]
    [InlineData("""{"broken": """, "--vars: invalid JSON in inline JSON")]
    [InlineData("no-such-file.json", "--vars: 'no-such-file.json' is neither inline JSON")]
    public async Task Bad_vars_exit_2_with_a_clear_message(string vars, string expected)
    {
        var template = WriteFile("t.json", """{"a": "${event_author}"}""");

        var (code, output, error) = await CliRunner.RunAsync("render", "--template", template, "--vars", vars);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_template_file_exits_2()
    {
        var (code, _, error) = await CliRunner.RunAsync("render", "--template", Path.Combine(_directory, "absent.json"));

        Assert.Equal(2, code);
        Assert.Contains("--template: cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_option_is_required()
    {
        var (code, _, error) = await CliRunner.RunAsync("render");

        Assert.Equal(2, code);
        Assert.Contains("--template", error, StringComparison.Ordinal);
    }
}
