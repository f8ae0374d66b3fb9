using Automations.Core.Domain;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Tests.Domain.Triggers;

public class AutomationTriggerTests
{
    [Fact]
    public void Defaults_to_the_match_all_filter()
    {
        var trigger = new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision"), collection: "my-dataset");

        Assert.Same(EventFilter.MatchAll, trigger.Filter);
        Assert.Equal("my-dataset", trigger.Collection);
        Assert.Equal("LINK_ARTIFACT in project:acme/vision collection my-dataset", trigger.ToString());
    }

    [Fact]
    public void Collection_scope_supplies_the_collection()
    {
        var scope = AutomationScope.ForCollection(ArtifactContainer.Project("acme", "vision"), "ds");
        var trigger = new AutomationTrigger(ArtifactEventType.LinkArtifact, scope);
        Assert.Equal("ds", trigger.Collection);
    }

    [Fact]
    public void Collection_scope_cannot_name_another_collection()
    {
        var scope = AutomationScope.ForCollection(ArtifactContainer.Project("acme", "vision"), "ds");
        var ex = Assert.Throws<AutomationValidationException>(() => new AutomationTrigger(ArtifactEventType.LinkArtifact, scope, collection: "other"));
        Assert.Equal("collection", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Entity_scope_cannot_name_a_collection()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForEntity("acme"), collection: "ds"));
        Assert.Equal("collection", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Missing_scope_and_unknown_type_are_reported_together()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new AutomationTrigger((ArtifactEventType)42, null!, collection: "bad name"));
        Assert.Equal(["eventType", "scope", "collection"], ex.Problems.Select(p => p.Path));
    }
}
