using Automations.Core.Domain;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Scopes;

namespace Automations.Core.Tests.Domain.Scopes;

public class AutomationScopeTests
{
    [Fact]
    public void Project_scope_sees_its_project_only()
    {
        var scope = AutomationScope.ForProject("acme", "vision");

        Assert.True(scope.CanSee(DomainSamples.Link("acme", "vision")));
        Assert.False(scope.CanSee(DomainSamples.Link("acme", "nlp")));
        Assert.False(scope.CanSee(DomainSamples.Link("other", "vision")));
    }

    [Fact]
    public void Project_and_registry_scopes_never_see_each_others_events()
    {
        var project = AutomationScope.ForProject("acme", "models");
        var registry = AutomationScope.ForRegistry("acme", "models");
        var projectEvent = DomainSamples.Link("acme", "models");
        var registryEvent = DomainSamples.Link("acme", "models", kind: ArtifactContainerKind.Registry);

        Assert.True(project.CanSee(projectEvent));
        Assert.False(project.CanSee(registryEvent));
        Assert.True(registry.CanSee(registryEvent));
        Assert.False(registry.CanSee(projectEvent));
    }

    [Fact]
    public void Entity_scope_sees_every_container_of_its_team_only()
    {
        var scope = AutomationScope.ForEntity("acme");

        Assert.True(scope.CanSee(DomainSamples.Link("acme", "a")));
        Assert.True(scope.CanSee(DomainSamples.Link("acme", "b", kind: ArtifactContainerKind.Registry)));
        Assert.False(scope.CanSee(DomainSamples.Link("acme2", "a")));
    }

    [Fact]
    public void Collection_scope_sees_its_collection_only()
    {
        var scope = AutomationScope.ForCollection(ArtifactContainer.Project("acme", "vision"), "my-dataset");

        Assert.True(scope.CanSee(DomainSamples.Link(collection: "my-dataset")));
        Assert.False(scope.CanSee(DomainSamples.Link(collection: "other")));
        Assert.False(scope.CanSee(DomainSamples.Link(project: "nlp", collection: "my-dataset")));
        Assert.Equal("collection:acme/vision/my-dataset", scope.ToString());
    }

    [Fact]
    public void Scopes_have_value_equality()
    {
        Assert.Equal(AutomationScope.ForProject("a", "b"), AutomationScope.ForProject("a", "b"));
        Assert.Equal(AutomationScope.ForProject("a", "b").GetHashCode(), AutomationScope.ForProject("a", "b").GetHashCode());
        Assert.NotEqual(AutomationScope.ForProject("a", "b"), AutomationScope.ForRegistry("a", "b"));
        Assert.NotEqual(AutomationScope.ForEntity("a"), AutomationScope.ForProject("a", "b"));
    }

    [Fact]
    public void Invalid_scopes_are_refused()
    {
        Assert.Throws<AutomationValidationException>(() => AutomationScope.ForEntity(""));
        Assert.Throws<AutomationValidationException>(() => AutomationScope.ForProject("a", "b c"));
        var ex = Assert.Throws<AutomationValidationException>(() => AutomationScope.ForCollection(null!, ""));
        Assert.Equal(["container", "collection"], ex.Problems.Select(p => p.Path));
    }
}
