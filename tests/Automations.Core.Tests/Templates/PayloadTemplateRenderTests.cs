using System.Buffers;
using System.Text;
using System.Text.Json;
using Automations.Core.Templates;
using NSubstitute;

namespace Automations.Core.Tests.Templates;

public class PayloadTemplateRenderTests
{
    [Fact]
    public void Renders_every_variable()
    {
        var text = "{" + string.Join(", ", TemplateVariables.All.Select(v => $"\"{v}\": \"${{{v}}}\"")) + "}";
        var template = PayloadTemplate.Parse(text);

        using var doc = JsonDocument.Parse(template.RenderToUtf8Bytes(TemplateTestData.Context()));
        var root = doc.RootElement;

        Assert.Equal("LINK_ARTIFACT", root.GetProperty("event_type").GetString());
        Assert.Equal("alice", root.GetProperty("event_author").GetString());
        Assert.Equal("wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3", root.GetProperty("artifact_version").GetString());
        Assert.Equal("acme/vision/dataset:v3", root.GetProperty("artifact_version_string").GetString());
        Assert.Equal("dataset", root.GetProperty("artifact_collection_name").GetString());
        Assert.Equal("vision", root.GetProperty("project_name").GetString());
        Assert.Equal("acme", root.GetProperty("entity_name").GetString());
        Assert.Equal("production", root.GetProperty("alias").GetString());
        Assert.Equal("nightly", root.GetProperty("tag").GetString());
    }

    [Theory]
    [InlineData("517889887", "wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3")]
    [InlineData("1", "wandb-artifact://_id/QXJ0aWZhY3Q6MQ==")]
    [InlineData("QXJ0aWZhY3Q6", "wandb-artifact://_id/QXJ0aWZhY3Q6UVhKMGFXWmhZM1E2")]
    [InlineData("", "")]
    public void Artifact_reference_is_base64_of_Artifact_colon_id(string id, string expected)
    {
        var context = new TemplateContext { ArtifactId = id };

        Assert.Equal(expected, TemplateTestData.RenderValue("${artifact_version}", context));
        Assert.Equal(expected, WandbArtifactReferenceFormatter.Instance.Format(id));
    }

    [Fact]
    public void Artifact_reference_for_a_long_non_ascii_id_matches_the_formatter()
    {
        var id = string.Concat(Enumerable.Repeat("ïd-日本-", 60));
        var context = new TemplateContext { ArtifactId = id };

        var rendered = TemplateTestData.RenderValue("${artifact_version}", context);

        Assert.Equal(WandbArtifactReferenceFormatter.Instance.Format(id), rendered);
        Assert.Equal("Artifact:" + id, Encoding.UTF8.GetString(Convert.FromBase64String(rendered[WandbArtifactReferenceFormatter.Prefix.Length..])));
    }

    [Fact]
    public void Host_can_replace_the_artifact_reference_format()
    {
        var formatter = Substitute.For<IArtifactReferenceFormatter>();
        formatter.Format("517889887").Returns("https://registry.example/artifacts/517889887?\"x\"");
        var template = PayloadTemplate.Parse("""{"ref": "${artifact_version}"}""", new PayloadTemplateOptions { ArtifactReferenceFormatter = formatter });

        using var doc = JsonDocument.Parse(template.RenderToString(TemplateTestData.Context()));

        Assert.Equal("https://registry.example/artifacts/517889887?\"x\"", doc.RootElement.GetProperty("ref").GetString());
        formatter.Received(1).Format("517889887");
    }

    [Fact]
    public void Alias_and_tag_are_empty_when_the_event_has_none()
    {
        var context = new TemplateContext { Alias = null!, Tag = null! };

        Assert.Equal("[][]", TemplateTestData.RenderValue("[${alias}][${tag}]", context));
    }

    [Theory]
    [InlineData("\"v1.2\"", "v1.2")]
    [InlineData("1200", "1200")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("{\"a\":1,\"b\":[true,\"x\"]}", "{\"a\":1,\"b\":[true,\"x\"]}")]
    [InlineData("[1, \"two\"]", "[1, \"two\"]")]
    [InlineData("\"line\\nbreak \\\"q\\\" \\u00e9 \\ud83d\\ude00 \\/\"", "line\nbreak \"q\" é 😀 /")]
    [InlineData("\"\\u2028\"", "\u2028")]
    public void Metadata_strings_insert_their_text_and_other_values_their_json_text(string json, string expected)
    {
        var context = TemplateTestData.Context(m => m["k"] = TemplateTestData.Json(json));

        Assert.Equal(expected, TemplateTestData.RenderValue("${artifact_metadata.k}", context));
    }

    [Fact]
    public void Metadata_with_escapes_is_rendered_in_canonical_form()
    {
        var context = TemplateTestData.Context(m => m["k"] = TemplateTestData.Json("\"a\\u0041\\/\\u0001\""));
        var template = PayloadTemplate.Parse("""{"v": "${artifact_metadata.k}"}""");

        Assert.Equal("""{"v": "aA/\u0001"}""", template.RenderToString(context));
    }

    [Fact]
    public void Missing_metadata_key_renders_empty()
    {
        Assert.Equal("<>", TemplateTestData.RenderValue("<${artifact_metadata.absent}>", TemplateTestData.Context()));
    }

    [Fact]
    public void Metadata_keys_may_contain_spaces_dots_and_unicode()
    {
        var context = TemplateTestData.Context(m =>
        {
            m["model name"] = TemplateTestData.Json("\"resnet\"");
            m["a.b"] = TemplateTestData.Json("2");
            m["精度"] = TemplateTestData.Json("0.93");
        });

        Assert.Equal("resnet|2|0.93", TemplateTestData.RenderValue("${artifact_metadata.model name}|${artifact_metadata.a.b}|${artifact_metadata.精度}", context));
    }

    [Theory]
    [InlineData("${SECRET}")]
    [InlineData("${event_type}")]
    [InlineData("${artifact_metadata.k}")]
    [InlineData("$${tag}}")]
    public void Values_that_look_like_placeholders_are_never_expanded(string value)
    {
        var context = new TemplateContext { EventAuthor = value, Tag = "T" };
        var secrets = TemplateSecrets.Create([new("SECRET", "s3cr3t")]);

        var rendered = TemplateTestData.RenderValue("${event_author}", context, secrets);

        Assert.Equal(value, rendered);
    }

    [Fact]
    public void Json_injection_stays_inside_the_string()
    {
        var attack = "x\", \"admin\": true, \"y\": \"\\";
        var context = new TemplateContext { EventAuthor = attack };
        var template = PayloadTemplate.Parse("""{"author": "${event_author}", "n": ${event_author}}""");

        using var doc = JsonDocument.Parse(template.RenderToUtf8Bytes(context));

        Assert.Equal(2, doc.RootElement.EnumerateObject().Count());
        Assert.False(doc.RootElement.TryGetProperty("admin", out _));
        Assert.Equal(attack, doc.RootElement.GetProperty("author").GetString());
        Assert.Equal(attack, doc.RootElement.GetProperty("n").GetString());
    }

    [Fact]
    public void Render_appends_to_what_the_writer_already_holds()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("prefix:"u8);

        PayloadTemplate.Parse("""{"t": "${tag}"}""").Render(TemplateTestData.Context(), null, writer);

        Assert.Equal("prefix:{\"t\": \"nightly\"}", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Render_grows_through_tiny_writer_spans()
    {
        var context = new TemplateContext { EventAuthor = string.Concat(Enumerable.Repeat("ab\"c\n日😀", 3000)) };
        var template = PayloadTemplate.Parse("""{"a": "${event_author}", "b": "${event_author}"}""");
        var writer = new ArrayBufferWriter<byte>(1);

        template.Render(context, null, writer);

        using var doc = JsonDocument.Parse(writer.WrittenMemory);
        Assert.Equal(context.EventAuthor, doc.RootElement.GetProperty("a").GetString());
        Assert.Equal(context.EventAuthor, doc.RootElement.GetProperty("b").GetString());
    }

    [Fact]
    public void Values_longer_than_a_chunk_keep_surrogate_pairs_intact()
    {
        foreach (var offset in new[] { 4094, 4095, 4096, 4097 })
        {
            var value = new string('a', offset) + "😀" + new string('b', 12000) + "😀";
            var context = new TemplateContext { EventAuthor = value };

            Assert.Equal(value, TemplateTestData.RenderValue("${event_author}", context));
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(2000)]
    [InlineData(20000)]
    public void Worst_case_expansion_of_every_slot_kind_fits(int length)
    {
        var nasty = string.Concat(Enumerable.Repeat("\u0001\u2028\"", length / 3 + 1))[..length];
        var formatter = Substitute.For<IArtifactReferenceFormatter>();
        formatter.Format(Arg.Any<string>()).Returns(nasty);
        var template = PayloadTemplate.Parse(
            """{"a": "${event_author}${event_author}", "b": ${event_author}, "r": "${artifact_version}${artifact_version}", "m": "${artifact_metadata.k}${artifact_metadata.o}", "s": "${S}${S}"}""",
            new PayloadTemplateOptions { ArtifactReferenceFormatter = formatter });
        var context = new TemplateContext
        {
            EventAuthor = nasty,
            ArtifactId = "1",
            ArtifactMetadata = new Dictionary<string, JsonElement>
            {
                ["k"] = JsonSerializer.SerializeToElement(nasty),
                ["o"] = JsonSerializer.SerializeToElement(new[] { nasty }),
            },
        };
        var secrets = TemplateSecrets.Create([new("S", nasty)]);
        var writer = new ArrayBufferWriter<byte>(16);

        template.Render(context, secrets, writer);

        using var doc = JsonDocument.Parse(writer.WrittenMemory);
        var root = doc.RootElement;
        Assert.Equal(nasty + nasty, root.GetProperty("a").GetString());
        Assert.Equal(nasty, root.GetProperty("b").GetString());
        Assert.Equal(nasty + nasty, root.GetProperty("r").GetString());
        Assert.Equal(nasty + JsonSerializer.Serialize(new[] { nasty }), root.GetProperty("m").GetString());
        Assert.Equal(nasty + nasty, root.GetProperty("s").GetString());
        formatter.Received(1).Format("1");
    }

    [Fact]
    public void Rendering_allocates_nothing()
    {
        var template = PayloadTemplatePresets.GitHubRepositoryDispatch;
        var context = TemplateTestData.Context(m => m["k"] = TemplateTestData.Json("{\"a\":1}"));
        var withMetadata = PayloadTemplate.Parse("""{"m": "${artifact_metadata.k}", "s": "${artifact_metadata.k}"}""");
        var writer = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < 100; i++)
        {
            writer.ResetWrittenCount();
            template.Render(context, null, writer);
            withMetadata.Render(context, null, writer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            writer.ResetWrittenCount();
            template.Render(context, null, writer);
            withMetadata.Render(context, null, writer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(template.RenderToUtf8Bytes(context).Length + withMetadata.RenderToUtf8Bytes(context).Length, writer.WrittenCount);
    }
}
