using System.Text;
using System.Text.Json;
using Automations.Core.Templates;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Automations.Core.Tests.Templates;

/// <summary>Random strings biased towards the characters escaping must get right.</summary>
public static class TemplateArbitraries
{
    private static readonly Gen<char> s_nasty = Gen.Elements(
        '"', '\\', '/', '$', '{', '}', '\u0000', '\u0001', '\b', '\t', '\n', '\f', '\r', '\u001f', '\u007f',
        '\u0080', '\u00e9', '\u2028', '\u2029', '\u65e5', '\uFEFF', '\uFFFD', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF');

    private static readonly Gen<char> s_char = Gen.Frequency(
        (4, Gen.Choose(0x20, 0x7E).Select(i => (char)i)),
        (3, s_nasty),
        (2, Gen.Choose(0, 0xFFFF).Select(i => (char)i)),
        (1, Gen.Elements("😀🎉𝄞".ToCharArray())));

    public static Arbitrary<string> Strings() =>
        Gen.Frequency(
                (6, Gen.ArrayOf(s_char).Select(chars => new string(chars))),
                (1, Gen.Constant("${event_type}")),
                (1, Gen.Constant("\", \"x\": \"")))
            .ToArbitrary();
}

public class PayloadTemplatePropertyTests
{
    private static readonly PayloadTemplate s_template = PayloadTemplate.Parse(
        """{"a": "${event_author}", "b": "<${event_type}|${tag}>", "c": ${alias}, "d": "${artifact_metadata.k}", "e": "${SECRET}"}""");

    /// <summary>What a value decodes to: lone surrogates become U+FFFD, everything else is kept.</summary>
    private static string Expected(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    [Property(Arbitrary = [typeof(TemplateArbitraries)], MaxTest = 300)]
    public void Rendered_output_is_valid_json_and_round_trips_every_value(string author, string eventType, string tag, string alias, string secret)
    {
        author ??= string.Empty;
        eventType ??= string.Empty;
        tag ??= string.Empty;
        alias ??= string.Empty;
        secret ??= string.Empty;
        var metadataValue = JsonSerializer.SerializeToElement(Expected(author + secret));
        var context = new TemplateContext
        {
            EventAuthor = author,
            EventType = eventType,
            Tag = tag,
            Alias = alias,
            ArtifactMetadata = new Dictionary<string, JsonElement> { ["k"] = metadataValue },
        };
        var secrets = TemplateSecrets.Create([new("SECRET", secret)]);

        var bytes = s_template.RenderToUtf8Bytes(context, secrets);

        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal(5, root.EnumerateObject().Count());
        Assert.Equal(Expected(author), root.GetProperty("a").GetString());
        Assert.Equal(Expected("<" + eventType + "|" + tag + ">"), root.GetProperty("b").GetString());
        Assert.Equal(Expected(alias), root.GetProperty("c").GetString());
        Assert.Equal(Expected(author + secret), root.GetProperty("d").GetString());
        Assert.Equal(Expected(secret), root.GetProperty("e").GetString());
        Assert.True(new UTF8Encoding(false, true).GetCharCount(bytes) > 0);
    }

    [Property(Arbitrary = [typeof(TemplateArbitraries)], MaxTest = 300)]
    public void Output_never_contains_raw_control_chars_or_line_separators(string value)
    {
        value ??= string.Empty;
        var text = s_template.RenderToString(new TemplateContext { EventAuthor = value }, TemplateSecrets.Create([new("SECRET", value)]));

        Assert.DoesNotContain(text, c => c < 0x20 && c != '\n' && c != ' ');
        Assert.DoesNotContain('\u2028', text);
        Assert.DoesNotContain('\u2029', text);
    }

    [Property(Arbitrary = [typeof(TemplateArbitraries)], MaxTest = 200)]
    public void Metadata_round_trips_strings_and_json_text(string value)
    {
        value ??= string.Empty;
        var asString = JsonSerializer.SerializeToElement(Expected(value));
        var asObject = JsonSerializer.SerializeToElement(new Dictionary<string, string> { [Expected(value)] = Expected(value) });
        var context = new TemplateContext { ArtifactMetadata = new Dictionary<string, JsonElement> { ["s"] = asString, ["o"] = asObject } };
        var template = PayloadTemplate.Parse("""{"s": "${artifact_metadata.s}", "o": ${artifact_metadata.o}}""");

        using var doc = JsonDocument.Parse(template.RenderToUtf8Bytes(context));

        Assert.Equal(Expected(value), doc.RootElement.GetProperty("s").GetString());
        Assert.Equal(asObject.GetRawText(), doc.RootElement.GetProperty("o").GetString());
    }
}
