using Automations.Core.Domain.Filters;

namespace Automations.Core.Tests.Domain.Filters;

public class FilterSubjectTests
{
    [Fact]
    public void Default_subject_has_no_values()
    {
        FilterSubject subject = default;
        Assert.Empty(subject.Aliases);
        Assert.Empty(subject.Tags);
        Assert.Null(subject.Collection);
        Assert.False(EventFilter.Parse("""{"alias":{"$exists":true}}""").Matches(subject));
    }

    [Fact]
    public void Subject_exposes_its_fields_without_copying()
    {
        string[] aliases = ["v1", "prod"];
        string[] tags = ["nightly"];
        var subject = new FilterSubject(aliases, tags, "models");
        Assert.Same(aliases, subject.Aliases);
        Assert.Same(tags, subject.Tags);
        Assert.Equal("models", subject.Collection);
    }

    [Fact]
    public void Null_alias_or_tag_is_rejected()
    {
        var a = Assert.Throws<ArgumentException>(() => new FilterSubject(new List<string> { "x", null! }));
        Assert.Equal("aliases", a.ParamName);
        var t = Assert.Throws<ArgumentException>(() => new FilterSubject(tags: new[] { (string)null! }));
        Assert.Equal("tags", t.ParamName);
    }

    [Fact]
    public void Any_read_only_list_is_a_subject()
    {
        var list = new List<string> { "prod" };
        var subject = new FilterSubject(list, new ArraySegment<string>(["x", "nightly"], 1, 1));
        Assert.True(EventFilter.Parse("""{"tag":"nightly"}""").Matches(subject));
        Assert.False(EventFilter.Parse("""{"tag":"x"}""").Matches(subject));
        Assert.True(EventFilter.Parse("""{"alias":{"$nin":["ignored","ignored-too"]}}""").Matches(subject));
        Assert.True(EventFilter.Parse("""{"alias":"prod"}""").Matches(subject));
    }
}
