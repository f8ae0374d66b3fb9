using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

internal static class TemplateTestData
{
    public static TemplateContext Context(Action<Dictionary<string, JsonElement>>? metadata = null)
    {
        var meta = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        metadata?.Invoke(meta);
        return new TemplateContext
        {
            EventType = "LINK_ARTIFACT",
            EventAuthor = "alice",
            ArtifactId = "517889887",
            ArtifactVersionString = "acme/vision/dataset:v3",
            ArtifactCollectionName = "dataset",
            ProjectName = "vision",
            EntityName = "acme",
            Alias = "production",
            Tag = "nightly",
            ArtifactMetadata = meta,
        };
    }

    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>Renders a template whose body is <c>{"v": "&lt;inner&gt;"}</c> and returns the decoded "v".</summary>
    public static string RenderValue(string inner, TemplateContext context, ITemplateSecretLookup? secrets = null)
    {
        var template = PayloadTemplate.Parse("{\"v\": \"" + inner + "\"}");
        var bytes = template.RenderToUtf8Bytes(context, secrets);
        using var doc = JsonDocument.Parse(bytes);
        return doc.RootElement.GetProperty("v").GetString()!;
    }
}
