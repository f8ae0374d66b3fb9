using System.Text.Json;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;

namespace Automations.Core.Tests.Domain;

/// <summary>Well-formed sample values for domain tests.</summary>
internal static class DomainSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    public static ArtifactVersion Version(params string[] aliases)
        => new("517889887", "my-dataset", "v3", aliases, ["golden"], new Dictionary<string, JsonElement>
        {
            ["accuracy"] = JsonSerializer.SerializeToElement(0.95),
        });

    public static ArtifactEvent Link(string entity = "acme", string project = "vision", string collection = "my-dataset", ArtifactContainerKind kind = ArtifactContainerKind.Project)
        => new("evt-1", ArtifactEventType.LinkArtifact, new ArtifactContainer(entity, project, kind), collection, Version("latest"), "alice", Now);

    public static ArtifactEvent AddAlias(string alias, string entity = "acme", string project = "vision", string collection = "my-dataset")
        => new("evt-2", ArtifactEventType.AddArtifactAlias, ArtifactContainer.Project(entity, project), collection, Version("latest"), "alice", Now, alias: alias);
}
