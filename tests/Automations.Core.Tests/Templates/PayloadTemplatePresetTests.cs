using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

public class PayloadTemplatePresetTests
{
    public static TheoryData<string> Presets() => ["github", "teams", "slack"];

    private static (PayloadTemplate Compiled, string Text) Get(string name) => name switch
    {
        "github" => (PayloadTemplatePresets.GitHubRepositoryDispatch, PayloadTemplatePresets.GitHubRepositoryDispatchText),
        "teams" => (PayloadTemplatePresets.MicrosoftTeams, PayloadTemplatePresets.MicrosoftTeamsText),
        _ => (PayloadTemplatePresets.Slack, PayloadTemplatePresets.SlackText),
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void Presets_parse_use_no_secrets_and_render_valid_json(string name)
    {
        var (compiled, text) = Get(name);

        Assert.Equal(text, compiled.Text);
        Assert.Empty(compiled.SecretNames);
        var context = new TemplateContext { EventAuthor = "a\"b\n", EventType = "ADD_ARTIFACT_ALIAS" };
        using var doc = JsonDocument.Parse(compiled.RenderToUtf8Bytes(context));
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Contains(Strings(doc.RootElement), s => s.Contains("a\"b\n", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [Fact]
    public void GitHub_dispatch_matches_the_seed_payload()
    {
        var template = PayloadTemplatePresets.GitHubRepositoryDispatch;
        Assert.Equal(
            ["event_author", "artifact_version", "artifact_version_string", "artifact_collection_name", "project_name", "entity_name"],
            template.Variables);

        using var doc = JsonDocument.Parse(template.RenderToString(TemplateTestData.Context()));
        var root = doc.RootElement;
        Assert.Equal("BUILD_AND_DEPLOY", root.GetProperty("event_type").GetString());
        var payload = root.GetProperty("client_payload");
        Assert.Equal("alice", payload.GetProperty("event_author").GetString());
        Assert.Equal("wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3", payload.GetProperty("artifact_version").GetString());
        Assert.Equal("acme/vision/dataset:v3", payload.GetProperty("artifact_version_string").GetString());
        Assert.Equal("dataset", payload.GetProperty("artifact_collection_name").GetString());
        Assert.Equal("vision", payload.GetProperty("project_name").GetString());
        Assert.Equal("acme", payload.GetProperty("entity_name").GetString());
    }

    [Fact]
    public void Teams_card_carries_author_and_event_type_facts()
    {
        using var doc = JsonDocument.Parse(PayloadTemplatePresets.MicrosoftTeams.RenderToString(TemplateTestData.Context()));
        var root = doc.RootElement;

        Assert.Equal("MessageCard", root.GetProperty("@type").GetString());
        var facts = root.GetProperty("sections")[0].GetProperty("facts");
        Assert.Equal("alice", facts[0].GetProperty("value").GetString());
        Assert.Equal("LINK_ARTIFACT", facts[1].GetProperty("value").GetString());
        Assert.True(root.GetProperty("sections")[0].GetProperty("markdown").GetBoolean());
    }

    [Fact]
    public void Slack_blocks_carry_event_version_and_author()
    {
        using var doc = JsonDocument.Parse(PayloadTemplatePresets.Slack.RenderToString(TemplateTestData.Context()));
        var blocks = doc.RootElement.GetProperty("blocks");

        Assert.Equal("New alert from WANDB!", doc.RootElement.GetProperty("text").GetString());
        Assert.Equal(4, blocks.GetArrayLength());
        Assert.Equal("Artifact event: LINK_ARTIFACT", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("New version: acme/vision/dataset:v3", blocks[1].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("divider", blocks[2].GetProperty("type").GetString());
        Assert.Equal("Author: alice", blocks[3].GetProperty("text").GetProperty("text").GetString());
    }
}
