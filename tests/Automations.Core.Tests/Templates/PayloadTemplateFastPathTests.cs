using System.Buffers;
using System.Text;
using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

/// <summary>
/// The renderer's fast path for templates of fixed variables: plain values copied as overlapping vectors (one size
/// class per length range), everything else handed to the escaper; output byte-identical to escaping each value.
/// </summary>
public class PayloadTemplateFastPathTests
{
    private static readonly PayloadTemplate s_author = PayloadTemplate.Parse("""{"v": "${event_author}"}""");

    /// <summary>Chars that force the escaping path, and two (DEL, '~') that must stay on the plain path.</summary>
    private static readonly char[] s_specials = ['"', '\\', '\u0000', '\u001f', '\u007f', '~', 'é', '\u00ff', '\u0100', '日', '\u2028', '\u8041', '\ud800', '\udc00', '\uffff'];

    [Fact]
    public void Every_length_and_position_of_a_special_char_renders_exactly_as_the_escaper_writes_it()
    {
        for (var n = 0; n <= 140; n++)
        {
            AssertRendersLikeTheEscaper(Plain(n));
            if (n == 0)
            {
                continue;
            }

            foreach (var special in s_specials)
            {
                foreach (var at in new[] { 0, n / 2, n - 1 })
                {
                    var chars = Plain(n).ToCharArray();
                    chars[at] = special;
                    AssertRendersLikeTheEscaper(new string(chars));
                }
            }
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(11000)]
    public void Long_plain_values_use_whole_blocks_and_the_overlapping_last_one(int length)
    {
        AssertRendersLikeTheEscaper(Plain(length));
        var chars = Plain(length).ToCharArray();
        chars[length - 1] = '"';
        AssertRendersLikeTheEscaper(new string(chars));
    }

    [Fact]
    public void Writes_stay_inside_the_span_the_writer_hands_out()
    {
        var context = BenchmarkLikeContext();
        foreach (var template in new[] { PayloadTemplatePresets.GitHubRepositoryDispatch, PayloadTemplatePresets.Slack, PayloadTemplatePresets.MicrosoftTeams, s_author })
        {
            var writer = new ExactSpanWriter();

            template.Render(context, null, writer);

            Assert.Equal(template.RenderToString(context), Encoding.UTF8.GetString(writer.Written));
            writer.AssertGuardIntact();
        }
    }

    [Fact]
    public void Each_render_uses_the_context_it_is_given()
    {
        var template = PayloadTemplatePresets.GitHubRepositoryDispatch;
        var first = BenchmarkLikeContext();
        var second = new TemplateContext
        {
            EventAuthor = "bob \"the builder\"",
            ArtifactId = "9",
            ArtifactVersionString = "e/p/a:v1",
            ArtifactCollectionName = "a",
            ProjectName = "p",
            EntityName = "日本",
        };
        var writer = new ArrayBufferWriter<byte>();

        for (var i = 0; i < 3; i++)
        {
            foreach (var context in new[] { first, second })
            {
                writer.ResetWrittenCount();
                template.Render(context, null, writer);

                using var doc = JsonDocument.Parse(writer.WrittenMemory);
                var payload = doc.RootElement.GetProperty("client_payload");
                Assert.Equal(context.EventAuthor, payload.GetProperty("event_author").GetString());
                Assert.Equal(WandbArtifactReferenceFormatter.Instance.Format(context.ArtifactId), payload.GetProperty("artifact_version").GetString());
                Assert.Equal(context.EntityName, payload.GetProperty("entity_name").GetString());
            }
        }
    }

    [Fact]
    public void A_fixed_template_over_the_direct_limit_streams_with_the_same_bytes()
    {
        // 12,000 chars × 6 bytes worst case is over the 64 KiB direct limit: the streaming path renders it.
        var context = new TemplateContext { EventAuthor = Plain(12000), ArtifactId = "1234567890123" };
        var template = PayloadTemplate.Parse("""{"a": "${event_author}", "r": "${artifact_version}"}""");
        var writer = new ArrayBufferWriter<byte>(16);

        template.Render(context, null, writer);

        var expected = "{\"a\": \"" + context.EventAuthor + "\", \"r\": \"" + WandbArtifactReferenceFormatter.Instance.Format(context.ArtifactId) + "\"}";
        Assert.Equal(expected, Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    private static void AssertRendersLikeTheEscaper(string value)
    {
        var escaped = new byte[(value.Length * JsonEscaper.MaxBytesPerChar) + 16];
        var length = JsonEscaper.EscapeUtf16(value, escaped);
        var expected = "{\"v\": \""u8.ToArray().Concat(escaped[..length]).Concat("\"}"u8.ToArray()).ToArray();

        var writer = new ExactSpanWriter();
        s_author.Render(new TemplateContext { EventAuthor = value }, null, writer);

        Assert.Equal(expected, writer.Written);
        writer.AssertGuardIntact();
        using var doc = JsonDocument.Parse(writer.Written);
        Assert.Equal(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)), doc.RootElement.GetProperty("v").GetString());
    }

    private static string Plain(int length)
    {
        // Printable ASCII in a scrambled order, without the two that need escaping.
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            var c = (char)(0x20 + ((i * 7) % 0x5F));
            chars[i] = c is '"' or '\\' ? 'x' : c;
        }

        return new string(chars);
    }

    private static TemplateContext BenchmarkLikeContext() => new()
    {
        EventType = "ADD_ARTIFACT_ALIAS",
        EventAuthor = "ml-platform-automation-bot@acme-research.example",
        ArtifactId = "1234567890123",
        ArtifactVersionString = "acme-research-lab-vision/image-classification-resnet50-finetuning/imagenet-2012-training-dataset-augmented-v2:production",
        ArtifactCollectionName = "imagenet-2012-training-dataset-augmented-v2",
        ProjectName = "image-classification-resnet50-finetuning",
        EntityName = "acme-research-lab-vision",
    };

    /// <summary>
    /// Hands out exactly the size asked for, inside a larger array of guard bytes, so any write past the span shows.
    /// </summary>
    private sealed class ExactSpanWriter : IBufferWriter<byte>
    {
        private const byte Guard = 0xA5;
        private byte[] _buffer = [];
        private int _start;
        private int _size;
        private readonly List<byte> _written = [];

        public byte[] Written => [.. _written];

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            _size = Math.Max(sizeHint, 1);
            _start = 8;
            _buffer = new byte[_start + _size + 256];
            Array.Fill(_buffer, Guard);
            return _buffer.AsSpan(_start, _size);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _size);
            _written.AddRange(_buffer.AsSpan(_start, count).ToArray());
        }

        public void AssertGuardIntact()
        {
            Assert.All(_buffer[.._start], b => Assert.Equal(Guard, b));
            Assert.All(_buffer[(_start + _size)..], b => Assert.Equal(Guard, b));
        }
    }
}
