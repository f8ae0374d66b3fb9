using System.Text;
using Automations.Core.Engine;

namespace Automations.Core.Tests.Engine;

public class SecretScrubberTests
{
    private static string Scrub(SecretScrubber scrubber, string body, bool truncated = false)
        => Encoding.UTF8.GetString(scrubber.Scrub(Encoding.UTF8.GetBytes(body), truncated).Span);

    [Fact]
    public void Every_occurrence_of_every_value_is_replaced()
    {
        var scrubber = new SecretScrubber("tok123", "sëcret");
        Assert.Equal("a [redacted] b [redacted][redacted] c", Scrub(scrubber, "a tok123 b sëcrettok123 c"));
        Assert.Equal("x [redacted] y", scrubber.Scrub("x sëcret y"));
    }

    [Fact]
    public void Values_echoed_inside_json_are_replaced_in_their_escaped_spellings()
    {
        // An echo service answering in JSON escapes '+' and non-ASCII (System.Text.Json's default) or only quotes.
        var scrubber = new SecretScrubber("tok+123", "sëcret", "q\"uote");
        Assert.Equal(
            """{"auth":"Bearer [redacted]","s":"[redacted]","q":"[redacted]","q2":"[redacted]"}""",
            Scrub(scrubber, """{"auth":"Bearer tok\u002B123","s":"s\u00EBcret","q":"q\u0022uote","q2":"q\"uote"}"""));
        Assert.Equal("Bearer [redacted]", scrubber.Scrub("Bearer tok\u002B123"));
    }

    [Fact]
    public void A_value_containing_another_is_replaced_whole()
    {
        var scrubber = new SecretScrubber("abc", "xxabcxx");
        Assert.Equal("[redacted] [redacted]", Scrub(scrubber, "xxabcxx abc"));
    }

    [Fact]
    public void Without_values_or_matches_the_body_is_returned_as_is()
    {
        var body = new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes("nothing here"));
        Assert.True(new SecretScrubber(null, "").IsEmpty);
        Assert.True(body.Equals(new SecretScrubber(null, "").Scrub(body, true)));
        Assert.True(body.Equals(new SecretScrubber("tok123").Scrub(body, false)));
    }

    [Fact]
    public void A_truncated_body_ending_in_the_start_of_a_secret_loses_that_tail()
    {
        var scrubber = new SecretScrubber("tok123456");
        Assert.Equal("echo: [redacted]", Scrub(scrubber, "echo: tok12", truncated: true));
        Assert.Equal("echo: tok12", Scrub(scrubber, "echo: tok12", truncated: false));
        Assert.Equal("echo: tok", Scrub(scrubber, "echo: tok", truncated: true)); // shorter than the minimum prefix
    }
}
