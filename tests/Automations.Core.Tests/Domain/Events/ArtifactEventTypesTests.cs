using Automations.Core.Domain.Events;

namespace Automations.Core.Tests.Domain.Events;

public class ArtifactEventTypesTests
{
    [Theory]
    [InlineData(ArtifactEventType.LinkArtifact, "LINK_ARTIFACT")]
    [InlineData(ArtifactEventType.AddArtifactAlias, "ADD_ARTIFACT_ALIAS")]
    [InlineData(ArtifactEventType.CreateArtifact, "CREATE_ARTIFACT")]
    [InlineData(ArtifactEventType.UnlinkArtifact, "UNLINK_ARTIFACT")]
    [InlineData(ArtifactEventType.AddArtifactTag, "ADD_ARTIFACT_TAG")]
    [InlineData(ArtifactEventType.RemoveArtifactTag, "REMOVE_ARTIFACT_TAG")]
    public void Wire_names_round_trip(ArtifactEventType type, string wire)
    {
        Assert.Equal(wire, type.ToWireName());
        Assert.True(ArtifactEventTypes.TryParse(wire, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("link_artifact")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("DELETE_ARTIFACT")]
    public void Unknown_wire_names_are_refused(string? wire) => Assert.False(ArtifactEventTypes.TryParse(wire, out _));

    [Fact]
    public void Undefined_value_has_no_wire_name()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ((ArtifactEventType)99).ToWireName());

    [Fact]
    public void Values_lists_all_six() => Assert.Equal(6, ArtifactEventTypes.Values.Distinct().Count());
}
