using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

public class TemplateContextTests
{
    [Fact]
    public void Defaults_are_empty()
    {
        var context = new TemplateContext();

        Assert.Equal(string.Empty, context.EventType);
        Assert.Equal(string.Empty, context.ArtifactId);
        Assert.Equal(string.Empty, context.Alias);
        Assert.Empty(context.ArtifactMetadata);
    }

    [Fact]
    public void Null_texts_are_refused_except_alias_and_tag()
    {
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { EventType = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { EventAuthor = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { ArtifactId = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { ArtifactVersionString = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { ArtifactCollectionName = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { ProjectName = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { EntityName = null! });
        Assert.Throws<ArgumentNullException>(() => new TemplateContext { ArtifactMetadata = null! });
        Assert.Equal(string.Empty, new TemplateContext { Alias = null!, Tag = null! }.Tag);
    }

    [Fact]
    public void Undefined_metadata_elements_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TemplateContext { ArtifactMetadata = new Dictionary<string, JsonElement> { ["k"] = default } });

        Assert.Contains("'k'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_is_copied_and_survives_the_source_document()
    {
        var source = new Dictionary<string, JsonElement>();
        TemplateContext context;
        using (var doc = JsonDocument.Parse("""{"rows": 12, "name": "mnist"}"""))
        {
            source["rows"] = doc.RootElement.GetProperty("rows");
            source["name"] = doc.RootElement.GetProperty("name");
            context = new TemplateContext { ArtifactMetadata = source };
        }

        source.Clear();

        Assert.Equal(2, context.ArtifactMetadata.Count);
        Assert.Equal("12 mnist", TemplateTestData.RenderValue("${artifact_metadata.rows} ${artifact_metadata.name}", context));
    }
}
