using System.Buffers;
using System.Text.Json;
using Automations.Core.Domain.Filters;

namespace Automations.Core.Tests.Domain.Filters;

public class EventFilterJsonTests
{
    [Theory]
    [InlineData("{}", "{}")]
    [InlineData("""{"alias":"prod"}""", """{"alias":{"$eq":"prod"}}""")]
    [InlineData("""{"tag":"b","alias":"a"}""", """{"alias":{"$eq":"a"},"tag":{"$eq":"b"}}""")]
    [InlineData("""{"alias":{"$regex":"^v","$ne":"v0"}}""", """{"alias":{"$ne":"v0","$regex":"^v"}}""")]
    [InlineData("""{"alias":{"$in":["b","a","b"]}}""", """{"alias":{"$in":["a","b"]}}""")]
    [InlineData("""{"alias":{"$nin":["b","B","a"]}}""", """{"alias":{"$nin":["B","a","b"]}}""")]
    [InlineData("""{"alias":{"$options":"xi","$regex":"a+"}}""", """{"alias":{"$regex":"a+","$options":"ix"}}""")]
    [InlineData("""{"alias":{"$regex":"a","$options":"iiss"}}""", """{"alias":{"$regex":"a","$options":"is"}}""")]
    [InlineData("""{"alias":{"$regex":"a","$options":""}}""", """{"alias":{"$regex":"a"}}""")]
    [InlineData("""{"alias":{"$not":{"$regex":"^tmp"}}}""", """{"alias":{"$not":{"$regex":"^tmp"}}}""")]
    [InlineData("""{"collection":{"$exists":true}}""", """{"collection":{"$exists":true}}""")]
    [InlineData("""{"$or":[{"$and":[{"alias":{"$regex":"prod"}}]}]}""", """{"$or":[{"$and":[{"alias":{"$regex":"prod"}}]}]}""")]
    [InlineData("""{"$or":[{"$and":[]}]}""", """{"$or":[{"$and":[]}]}""")]
    [InlineData("""{"tag":"x","$nor":[{"alias":"b"},{"alias":"a"}],"$not":{}}""", """{"$nor":[{"alias":{"$eq":"b"}},{"alias":{"$eq":"a"}}],"$not":{},"tag":{"$eq":"x"}}""")]
    [InlineData(" {\n  \"alias\" : \"\\u0070rod\" } ", """{"alias":{"$eq":"prod"}}""")]
    [InlineData("""{"alias":"<é>&'\"\\"}""", """{"alias":{"$eq":"<é>&'\"\\"}}""")]
    public void To_json_gives_the_canonical_form(string input, string expected)
    {
        var filter = EventFilter.Parse(input);
        Assert.Equal(expected, filter.ToJson());
        Assert.Equal(expected, filter.ToString());
        Assert.Equal(expected, EventFilter.Parse(expected).ToJson());
    }

    [Fact]
    public void Array_order_of_logical_operators_is_kept()
    {
        var filter = EventFilter.Parse("""{"$or":[{"tag":"z"},{"alias":"a"}]}""");
        Assert.Equal("""{"$or":[{"tag":{"$eq":"z"}},{"alias":{"$eq":"a"}}]}""", filter.ToJson());
    }

    [Fact]
    public void Match_all_is_the_empty_object()
    {
        Assert.Equal("{}", EventFilter.MatchAll.ToJson());
        Assert.Equal(EventFilter.MatchAll, EventFilter.Parse("{}"));
        Assert.Same(EventFilter.MatchAll, EventFilter.MatchAll);
    }

    [Fact]
    public void Equality_follows_the_canonical_json()
    {
        var a = EventFilter.Parse("""{"tag":"b","alias":"a"}""");
        var b = EventFilter.Parse("""{"alias":{"$eq":"a"},"tag":{"$eq":"b"}}""");
        var c = EventFilter.Parse("""{"alias":"a"}""");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a.Equals((object)b));

        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.False(a.Equals(null));
        Assert.False(a == null);
        Assert.True((EventFilter?)null == null);
        Assert.False(a.Equals("{}"));
    }

    [Fact]
    public void Write_to_emits_the_filter_as_a_json_value()
    {
        var filter = EventFilter.Parse("""{"$or":[{"$and":[{"alias":{"$regex":"^prod","$options":"i"}},{"tag":{"$in":["x"]}}]}]}""");
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("filter");
            filter.WriteTo(writer);
            writer.WriteNumber("n", 1);
            writer.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var inner = doc.RootElement.GetProperty("filter");
        Assert.Equal(filter, EventFilter.Parse(inner));
        Assert.Equal(1, doc.RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Write_to_rejects_a_null_writer()
        => Assert.Throws<ArgumentNullException>(() => EventFilter.MatchAll.WriteTo(null!));

    [Fact]
    public void Canonical_json_keeps_patterns_readable()
    {
        var filter = EventFilter.Parse("""{"alias":{"$regex":"^v\\d+(\\.\\d+)?$"}}""");
        Assert.Equal("""{"alias":{"$regex":"^v\\d+(\\.\\d+)?$"}}""", filter.ToJson());
        Assert.DoesNotContain("\\u002B", filter.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Canonical_json_of_non_ascii_text_round_trips()
    {
        var filter = EventFilter.Parse("{\"alias\":\"本番\\ud83d\\ude80\"}");
        var again = EventFilter.Parse(filter.ToJson());
        Assert.Equal(filter, again);
        Assert.True(again.Matches(new FilterSubject(["本番🚀"])));
        Assert.Contains("本番", filter.ToJson(), StringComparison.Ordinal);
    }
}
