using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Domain.Artifacts;

namespace Automations.Core.Tests.Domain.Artifacts;

public class ArtifactVersionTests
{
    [Fact]
    public void Keeps_aliases_tags_and_metadata_and_drops_duplicates()
    {
        var metadata = new Dictionary<string, JsonElement> { ["rows"] = JsonSerializer.SerializeToElement(12) };
        var version = new ArtifactVersion("42", "data", "v1", ["latest", "prod", "latest"], ["a"], metadata);

        Assert.Equal(["latest", "prod"], version.Aliases);
        Assert.Equal(["a"], version.Tags);
        Assert.Equal(12, version.Metadata["rows"].GetInt32());
        Assert.Equal("data:v1", version.ToString());
    }

    [Fact]
    public void Is_isolated_from_later_changes_to_the_inputs()
    {
        var aliases = new List<string> { "latest" };
        var metadata = new Dictionary<string, JsonElement> { ["k"] = JsonSerializer.SerializeToElement("v") };
        var version = new ArtifactVersion("42", "data", "v1", aliases, null, metadata);

        aliases.Add("prod");
        metadata["k2"] = JsonSerializer.SerializeToElement(1);

        Assert.Equal(["latest"], version.Aliases);
        Assert.Single(version.Metadata);
        Assert.Empty(version.Tags);
    }

    [Fact]
    public void Reports_every_bad_field_with_its_path()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new ArtifactVersion("", "bad name", "", ["ok", "a/b", ""], ["x:y"]));

        Assert.Equal(["id", "artifactName", "version", "aliases[1]", "aliases[2]", "tags[0]"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Refuses_empty_metadata_key()
    {
        var metadata = new Dictionary<string, JsonElement> { [""] = JsonSerializer.SerializeToElement(1) };
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactVersion("1", "d", "v0", metadata: metadata));
        Assert.Equal("metadata", Assert.Single(ex.Problems).Path);
    }
}
