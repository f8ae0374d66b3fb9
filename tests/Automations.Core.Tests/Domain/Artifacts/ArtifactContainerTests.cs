using Automations.Core.Domain;
using Automations.Core.Domain.Artifacts;

namespace Automations.Core.Tests.Domain.Artifacts;

public class ArtifactContainerTests
{
    [Fact]
    public void Project_and_registry_with_same_name_are_different()
    {
        var project = ArtifactContainer.Project("acme", "models");
        var registry = ArtifactContainer.Registry("acme", "models");

        Assert.NotEqual(project, registry);
        Assert.Equal(ArtifactContainer.Project("acme", "models"), project);
        Assert.Equal(project.GetHashCode(), ArtifactContainer.Project("acme", "models").GetHashCode());
        Assert.Equal("acme/models", project.ToString());
        Assert.Equal("acme/registry:models", registry.ToString());
    }

    [Theory]
    [InlineData("", "p", "entity")]
    [InlineData("acme", "", "name")]
    [InlineData("ac me", "p", "entity")]
    [InlineData("acme", "p/q", "name")]
    public void Invalid_names_are_refused_with_their_path(string entity, string name, string path)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactContainer(entity, name));
        Assert.Contains(ex.Problems, p => p.Path == path);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new ArtifactContainer("", new string('x', 129), (ArtifactContainerKind)9));
        Assert.Equal(["entity", "name", "kind"], ex.Problems.Select(p => p.Path));
    }
}
