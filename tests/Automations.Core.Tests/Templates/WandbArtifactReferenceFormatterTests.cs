using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

public class WandbArtifactReferenceFormatterTests
{
    public static TheoryData<string> Alphabets => new()
    {
        "0123456789",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_:",
        "\u0000\u0001\u001f\"\\\u007f ~",
        "é日本😀\u2028",
        "a\ud800b\udc00c",
    };

    [Theory]
    [MemberData(nameof(Alphabets))]
    public void Encoded_reference_matches_the_formatter_for_every_length(string alphabet)
    {
        var random = new Random(alphabet.Length);
        for (var n = 0; n <= 80; n++)
        {
            var id = new StringBuilder();
            while (id.Length < n)
            {
                id.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var text = id.ToString(0, n);
            var expected = WandbArtifactReferenceFormatter.Instance.Format(text);

            Assert.Equal(expected, Encoding.ASCII.GetString(Write(text)));
            Assert.Equal(expected, TemplateTestData.RenderValue("${artifact_version}", new TemplateContext { ArtifactId = text }));
        }
    }

    [Theory]
    [InlineData("1234567890123", "wandb-artifact://_id/QXJ0aWZhY3Q6MTIzNDU2Nzg5MDEyMw==")]
    [InlineData("517889887", "wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3")]
    [InlineData("12345678", "wandb-artifact://_id/QXJ0aWZhY3Q6MTIzNDU2Nzg=")]
    [InlineData("123456789012345", "wandb-artifact://_id/QXJ0aWZhY3Q6MTIzNDU2Nzg5MDEyMzQ1")]
    [InlineData("1234567890123456", "wandb-artifact://_id/QXJ0aWZhY3Q6MTIzNDU2Nzg5MDEyMzQ1Ng==")]
    public void Known_references(string id, string expected)
        => Assert.Equal(expected, Encoding.ASCII.GetString(Write(id)));

    [Fact]
    public void A_char_beyond_latin1_in_a_vector_block_is_not_taken_for_ascii()
    {
        // U+8041 narrows (with or without saturation) to a byte that could pass for ASCII if only bytes were checked.
        foreach (var n in new[] { 8, 13, 15, 16, 24, 25, 29, 37 })
        {
            for (var at = 0; at < n; at++)
            {
                var id = new string('7', at) + "\u8041" + new string('7', n - at - 1);
                Assert.Equal(WandbArtifactReferenceFormatter.Instance.Format(id), Encoding.ASCII.GetString(Write(id)));
            }
        }
    }

    [Fact]
    public void Writes_stay_within_the_announced_room()
    {
        foreach (var id in new[] { "1", "12345678", "1234567890123", "é日本😀é日本😀", new string('x', 100) })
        {
            var room = (int)WandbArtifactReferenceFormatter.MaxUtf8Bytes(id.Length);
            var buffer = new byte[room + 64];
            Array.Fill(buffer, (byte)0xCC);

            var written = WandbArtifactReferenceFormatter.WriteUtf8(id, buffer.AsSpan(0, room));

            Assert.Equal(WandbArtifactReferenceFormatter.Instance.Format(id), Encoding.ASCII.GetString(buffer, 0, written));
            Assert.All(buffer[room..], b => Assert.Equal(0xCC, b));
        }
    }

    [Fact]
    public void A_destination_below_the_worst_case_is_refused()
    {
        var room = (int)WandbArtifactReferenceFormatter.MaxUtf8Bytes(9);

        Assert.Throws<ArgumentException>(() => WandbArtifactReferenceFormatter.WriteUtf8("517889887", new byte[room - 1]));
        Assert.Equal(0, WandbArtifactReferenceFormatter.WriteUtf8(string.Empty, []));
    }

    [Fact]
    public void Scalar_encoder_matches_base64_for_every_length()
    {
        // The vector path covers ids of 8 chars and more on this machine; the scalar one shorter ids and non-AVX2 machines.
        for (var n = 0; n <= 40; n++)
        {
            var id = string.Concat(Enumerable.Range(0, n).Select(i => (char)('0' + ((i * 7) % 75))));
            var output = new byte[(4 * n) + 8];

            var ascii = WandbArtifactReferenceFormatter.TryEncodeAsciiScalar(
                ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(id.AsSpan())), n, ref output[0]);

            Assert.True(ascii);
            Assert.Equal(Convert.ToBase64String(Encoding.ASCII.GetBytes(id)), Encoding.ASCII.GetString(output, 0, ((n + 2) / 3) * 4));
        }

        var nonAscii = "12é4";
        var scratch = new byte[32];
        Assert.False(WandbArtifactReferenceFormatter.TryEncodeAsciiScalar(
            ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(nonAscii.AsSpan())), nonAscii.Length, ref scratch[0]));
    }

    private static byte[] Write(string id)
    {
        var buffer = new byte[WandbArtifactReferenceFormatter.MaxUtf8Bytes(id.Length)];
        return buffer[..WandbArtifactReferenceFormatter.WriteUtf8(id, buffer)];
    }
}
