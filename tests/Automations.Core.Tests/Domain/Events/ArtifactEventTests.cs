using Automations.Core.Domain;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;

namespace Automations.Core.Tests.Domain.Events;

public class ArtifactEventTests
{
    [Fact]
    public void Link_event_exposes_its_fields_and_version_string()
    {
        var e = DomainSamples.Link();

        Assert.Equal("acme", e.Entity);
        Assert.Equal("my-dataset", e.Collection);
        Assert.Null(e.Alias);
        Assert.Equal("acme/vision/my-dataset:v3", e.ArtifactVersionString);
        Assert.Equal("LINK_ARTIFACT acme/vision/my-dataset my-dataset:v3 (evt-1)", e.ToString());
    }

    [Fact]
    public void Alias_event_uses_the_alias_in_the_version_string()
    {
        var e = DomainSamples.AddAlias("production");
        Assert.Equal("acme/vision/my-dataset:production", e.ArtifactVersionString);
    }

    [Fact]
    public void Alias_event_without_alias_is_refused()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactEvent(
            "e", ArtifactEventType.AddArtifactAlias, ArtifactContainer.Project("a", "b"), "c", DomainSamples.Version(), "u", DomainSamples.Now));
        Assert.Equal("alias", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Tag_event_requires_a_tag_and_refuses_an_alias()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactEvent(
            "e", ArtifactEventType.AddArtifactTag, ArtifactContainer.Project("a", "b"), "c", DomainSamples.Version(), "u", DomainSamples.Now, alias: "x"));
        Assert.Equal(["alias", "tag"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Link_event_refuses_a_tag()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactEvent(
            "e", ArtifactEventType.LinkArtifact, ArtifactContainer.Project("a", "b"), "c", DomainSamples.Version(), "u", DomainSamples.Now, tag: "t"));
        Assert.Equal("tag", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Missing_parts_are_all_reported()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactEvent(
            "", (ArtifactEventType)0, null!, "", null!, " ", DomainSamples.Now));
        Assert.Equal(["eventId", "type", "container", "collection", "version", "author"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Event_id_longer_than_the_limit_is_refused()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactEvent(
            new string('e', ArtifactEvent.MaxEventIdLength + 1), ArtifactEventType.LinkArtifact, ArtifactContainer.Project("a", "b"), "c", DomainSamples.Version(), "u", DomainSamples.Now));
        Assert.Equal("eventId", Assert.Single(ex.Problems).Path);
    }
}
