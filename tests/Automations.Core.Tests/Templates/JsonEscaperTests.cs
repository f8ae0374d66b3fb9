using System.Text;
using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

public class JsonEscaperTests
{
    private static string Escape(string value)
    {
        var buffer = new byte[value.Length * JsonEscaper.MaxBytesPerChar];
        var written = JsonEscaper.EscapeUtf16(value, buffer);
        return Encoding.UTF8.GetString(buffer, 0, written);
    }

    private static string Decode(string escapedContent)
    {
        using var doc = JsonDocument.Parse("\"" + escapedContent + "\"");
        return doc.RootElement.GetString()!;
    }

    public static TheoryData<int> ControlChars()
    {
        var data = new TheoryData<int>();
        for (var c = 0; c < 0x20; c++)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ControlChars))]
    public void Every_control_char_is_escaped_and_round_trips(int code)
    {
        var value = "a" + (char)code + "b";
        var escaped = Escape(value);

        Assert.DoesNotContain(escaped, ch => ch < 0x20);
        var expected = code switch
        {
            0x08 => "a\\bb",
            0x09 => "a\\tb",
            0x0A => "a\\nb",
            0x0C => "a\\fb",
            0x0D => "a\\rb",
            _ => $"a\\u{code:X4}b",
        };
        Assert.Equal(expected, escaped);
        Assert.Equal(value, Decode(escaped));
    }

    [Theory]
    [InlineData("\u2028", "\\u2028")]
    [InlineData("\u2029", "\\u2029")]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("/<>&'+`=", "/<>&'+`=")]
    [InlineData("\u007f", "\u007f")]
    [InlineData("${TOKEN}", "${TOKEN}")]
    public void Specials_are_escaped_exactly(string value, string expected)
    {
        Assert.Equal(expected, Escape(value));
        Assert.Equal(value, Decode(Escape(value)));
    }

    [Theory]
    [InlineData("日本語のテキスト")]
    [InlineData("café ñ ü")]
    [InlineData("😀 emoji 🎉 and 𝄞")]
    [InlineData("Ελληνικά العربية עברית")]
    public void Non_ascii_stays_raw_utf8(string value)
    {
        var escaped = Escape(value);

        Assert.DoesNotContain("\\u", escaped, StringComparison.Ordinal);
        Assert.Equal(value, escaped);
        Assert.Equal(value, Decode(escaped));
    }

    // Built in code: attribute arguments are stored as UTF-8, which cannot hold a lone surrogate.
    public static TheoryData<string, string> LoneSurrogates() => new()
    {
        { "a\uD800b", "a\uFFFDb" },
        { "a\uDC00b", "a\uFFFDb" },
        { "\uD83D", "\uFFFD" },
        { "end\uD83D", "end\uFFFD" },
        { "\uDE00\uD83D", "\uFFFD\uFFFD" },
        { "\uD83D\uD83D\uDE00", "\uFFFD\U0001F600" },
        { new string('x', 20) + "\uD800" + new string('y', 20), new string('x', 20) + "\uFFFD" + new string('y', 20) },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Lone_surrogates_become_replacement_chars(string value, string expected)
    {
        Assert.Equal(expected, Decode(Escape(value)));
    }

    [Fact]
    public void Every_length_and_position_of_a_special_char_round_trips()
    {
        var specials = new[] { "\"", "\\", "\n", "\u0000", "é", "日", "\u2028", "😀", "\uD800", "\uDFFF", "\u007F", "\uFFFF" };
        for (var n = 1; n <= 80; n++)
        {
            var plain = new string('a', n);
            Assert.Equal(plain, Escape(plain));
            foreach (var special in specials)
            {
                for (var p = 0; p < n; p++)
                {
                    var value = string.Concat(plain.AsSpan(0, p), special, plain.AsSpan(p + 1));
                    var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));
                    Assert.Equal(expected, Decode(Escape(value)));
                }
            }
        }
    }

    [Fact]
    public void Long_mixed_text_exercises_the_vector_path_and_round_trips()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            builder.Append("plain ascii block ").Append(i).Append(i % 7 == 0 ? "\"q\"" : string.Empty)
                .Append(i % 11 == 0 ? "\n" : string.Empty).Append(i % 13 == 0 ? "é😀" : string.Empty);
        }

        var value = builder.ToString();
        Assert.Equal(value, Decode(Escape(value)));
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\/b\"", "a/b")]
    [InlineData("\"q\\\"x\\\\y\"", "q\\\"x\\\\y")]
    [InlineData("\"\\u0041\\u00e9\\u65e5\"", "Aé日")]
    [InlineData("\"\\u0001\\u001f\\b\"", "\\u0001\\u001F\\b")]
    [InlineData("\"\\ud83d\\ude00\"", "😀")]
    [InlineData("\"\\ud800x\"", "\uFFFDx")]
    [InlineData("\"\\u2028 \u2029\"", "\\u2028 \\u2029")]
    [InlineData("\"\\u0022\\u005C\"", "\\\"\\\\")]
    public void Raw_json_string_content_is_canonicalised(string json, string expected)
    {
        var raw = Encoding.UTF8.GetBytes(json)[1..^1];
        var buffer = new byte[raw.Length * JsonEscaper.MaxBytesPerRawStringByte];
        var written = JsonEscaper.CanonicalizeStringContent(raw, buffer);

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, written));
    }

    [Fact]
    public void Utf8_json_text_is_escaped_as_string_content()
    {
        var raw = Encoding.UTF8.GetBytes("{\"a\": [1, \"x\\ny\"],\n\t\"b\": \"\u2028\"}");
        var buffer = new byte[raw.Length * JsonEscaper.MaxBytesPerUtf8Byte];
        var written = JsonEscaper.EscapeUtf8(raw, buffer);
        var escaped = Encoding.UTF8.GetString(buffer, 0, written);

        Assert.Equal("{\\\"a\\\": [1, \\\"x\\\\ny\\\"],\\n\\t\\\"b\\\": \\\"\\u2028\\\"}", escaped);
        Assert.Equal(Encoding.UTF8.GetString(raw), Decode(escaped));
    }

    [Fact]
    public void Too_small_destination_is_refused_not_overrun()
    {
        Assert.Throws<ArgumentException>(() => JsonEscaper.EscapeUtf16("abc", new byte[17]));
    }
}
