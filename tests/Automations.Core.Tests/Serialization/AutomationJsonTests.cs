using System.Text.Json;
using System.Text.Json.Nodes;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Automations.Core.Tests.Serialization;

public class AutomationJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(9));

    public static TheoryData<string> Actions => new()
    {
        "webhook", "job", "job-minimal", "notification", "noop", "custom",
    };

    private static AutomationAction ActionNamed(string name) => name switch
    {
        "webhook" => new WebhookAction("whk_1", """{"event_type":"BUILD_AND_DEPLOY","client_payload":{"v":"${artifact_version_string}"}}"""),
        "job" => new LaunchJobAction("acme/vision/job-train:latest", "gpu", "v2", JsonSerializer.SerializeToElement(new { lr = 0.01, layers = new[] { 1, 2 } }), ArtifactContainer.Project("acme", "runs")),
        "job-minimal" => new LaunchJobAction("job-train", "cpu"),
        "notification" => new NotificationAction("slack_1", "New ${alias}", "Version ${artifact_version_string}", NotificationSeverity.Warn),
        "noop" => NoOpAction.Instance,
        _ => new CustomAction("acme.pagerduty", JsonSerializer.SerializeToElement(new { service = "P123", urgency = "high", nested = new { a = (string?)null } }), "Page on-call"),
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public void Every_action_kind_round_trips(string actionName)
    {
        var automation = new Automation(
            "aut_1",
            "promote",
            new AutomationTrigger(ArtifactEventType.AddArtifactAlias, AutomationScope.ForProject("acme", "vision"), EventFilter.Parse("""{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}"""), "ds"),
            ActionNamed(actionName),
            T0,
            T0.AddHours(1),
            "Runs when an alias starting with prod is added",
            enabled: false);

        var json = AutomationJson.Serialize(automation);
        var back = AutomationJson.DeserializeAutomation(json);

        Assert.Equal(json, AutomationJson.Serialize(back));
        Assert.Equal(automation.Action.GetType(), back.Action.GetType());
        Assert.Equal(automation.Action.Kind, back.Action.Kind);
        Assert.Equal(automation.Action.ActionName, back.Action.ActionName);
        Assert.Equal(automation.Trigger.Filter, back.Trigger.Filter);
        Assert.Equal(T0.AddHours(1), back.UpdatedAt);
        Assert.Equal(TimeSpan.FromHours(9), back.CreatedAt.Offset);
        Assert.False(back.Enabled);
        Assert.Contains("\"v\":1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_scope_kind_round_trips()
    {
        AutomationScope[] scopes =
        [
            AutomationScope.ForEntity("acme"),
            AutomationScope.ForProject("acme", "vision"),
            AutomationScope.ForRegistry("acme", "models"),
            AutomationScope.ForCollection(ArtifactContainer.Registry("acme", "models"), "resnet"),
            AutomationScope.ForCollection(ArtifactContainer.Project("acme", "vision"), "ds"),
        ];

        foreach (var scope in scopes)
        {
            var automation = new Automation("aut_1", "a", new AutomationTrigger(ArtifactEventType.LinkArtifact, scope), NoOpAction.Instance, T0, T0);
            var back = AutomationJson.DeserializeAutomation(AutomationJson.Serialize(automation));
            Assert.Equal(scope, back.Scope);
            Assert.Equal(automation.Trigger.Collection, back.Trigger.Collection);
            Assert.Equal(EventFilter.MatchAll, back.Trigger.Filter);
        }
    }

    [Fact]
    public void An_event_round_trips_with_its_version_and_metadata()
    {
        var metadata = new Dictionary<string, JsonElement>
        {
            ["accuracy"] = JsonSerializer.SerializeToElement(0.95),
            ["labels"] = JsonSerializer.SerializeToElement(new[] { "cat", "dog" }),
            ["config"] = JsonSerializer.SerializeToElement(new { depth = 50, note = "ünïcødé \"quoted\"" }),
            ["none"] = JsonSerializer.SerializeToElement<object?>(null),
        };
        var e = new ArtifactEvent(
            "evt-42",
            ArtifactEventType.AddArtifactAlias,
            ArtifactContainer.Registry("acme", "models"),
            "resnet",
            new ArtifactVersion("517889887", "resnet", "v3", ["latest", "production"], ["golden"], metadata),
            "alice",
            T0,
            alias: "production");

        var json = AutomationJson.Serialize(e);
        var back = AutomationJson.DeserializeEvent(json);

        Assert.Equal(json, AutomationJson.Serialize(back));
        Assert.Equal("production", back.Alias);
        Assert.Null(back.Tag);
        Assert.Equal(e.Container, back.Container);
        Assert.Equal(["latest", "production"], back.Version.Aliases);
        Assert.Equal(["golden"], back.Version.Tags);
        Assert.Equal(50, back.Version.Metadata["config"].GetProperty("depth").GetInt32());
        Assert.Equal(JsonValueKind.Null, back.Version.Metadata["none"].ValueKind);
        Assert.Equal(T0, back.OccurredAt);
        Assert.Equal(e.ArtifactVersionString, back.ArtifactVersionString);
    }

    [Fact]
    public void Text_that_is_not_json_is_a_validation_error()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeAutomation("{not json"));

        Assert.Equal(string.Empty, Assert.Single(ex.Problems).Path);
        Assert.StartsWith("The text is not valid JSON", ex.Problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"eventId":"e"}""", "The format version is missing")]
    [InlineData("""{"v":2,"eventId":"e"}""", "Unsupported format version 2")]
    [InlineData("""{"v":"1"}""", "Unsupported format version")]
    public void Another_format_version_is_refused(string json, string message)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeEvent(json));

        Assert.Contains(ex.Problems, p => p.Path == "v" && p.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_with_the_path_of_its_member()
    {
        var json = """
            {"v":1,"id":"aut_1","createdAt":"yesterday","updatedAt":"2026-11-27T10:00:00+00:00",
             "trigger":{"eventType":"LINK_EVERYTHING","scope":{"kind":"PROJECT","entity":"acme"}},
             "action":{"kind":"NOTIFICATION","integrationId":"slack","title":"t","message":"m","severity":"LOUD"}}
            """;

        var ex = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeAutomation(json));
        var paths = ex.Problems.Select(p => p.Path).ToList();

        Assert.Contains("name", paths);
        Assert.Contains("createdAt", paths);
        Assert.Contains("trigger.eventType", paths);
        Assert.Contains("trigger.scope.container", paths);
        Assert.Contains("action.severity", paths);
    }

    [Fact]
    public void Domain_rule_violations_carry_prefixed_paths()
    {
        var json = """
            {"v":1,"id":"aut_1","name":"a","createdAt":"2026-11-27T10:00:00+00:00","updatedAt":"2026-11-27T10:00:00+00:00",
             "trigger":{"eventType":"LINK_ARTIFACT","scope":{"kind":"PROJECT","entity":"acme","container":"bad name!"},
                        "filter":{"alias":{"$regex":"("}}},
             "action":{"kind":"NO_OP"}}
            """;

        var ex = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeAutomation(json));
        var paths = ex.Problems.Select(p => p.Path).ToList();

        Assert.Contains(paths, p => p.StartsWith("trigger.scope.", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.StartsWith("trigger.filter", StringComparison.Ordinal));
    }

    [Fact]
    public void A_custom_action_without_configuration_and_a_bad_event_are_refused()
    {
        var automation = JsonNode.Parse(AutomationJson.Serialize(new Automation("aut_1", "a", new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForEntity("acme")), NoOpAction.Instance, T0, T0)))!;
        automation["action"] = new JsonObject { ["kind"] = "acme.custom" };
        var ex = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeAutomation(automation.ToJsonString()));
        Assert.Contains(ex.Problems, p => p.Path == "action.configuration");

        var e = """{"v":1,"eventId":"e","type":"LINK_ARTIFACT","container":{"entity":"acme","name":"vision","kind":"PROJECT"},"collection":"ds","version":{"id":"1","artifactName":"ds","version":"v1","aliases":[3]},"author":"alice","occurredAt":"2026-11-27T10:00:00+00:00","alias":"x"}""";
        var eventError = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeEvent(e));
        Assert.Contains(eventError.Problems, p => p.Path == "version.aliases[0]");

        var aliasOnLink = e.Replace("[3]", "[]", StringComparison.Ordinal);
        var aliasError = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeEvent(aliasOnLink));
        Assert.Contains(aliasError.Problems, p => p.Path == "alias");
    }

    [Fact]
    public void A_json_value_that_is_not_an_object_is_refused()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => AutomationJson.DeserializeEvent("[1,2]"));

        Assert.Contains("must be a JSON object", Assert.Single(ex.Problems).Message, StringComparison.Ordinal);
    }

    private static readonly string[] Names = ["acme", "a.b", "x-y_z", "V1"];
    private static readonly string[] Labels = ["latest", "prod uction", "ünï", "v1", "🚀"];

    private static Arbitrary<ArtifactEvent> Events =>
        (from type in Gen.Elements(ArtifactEventTypes.Values.ToArray())
         from entity in Gen.Elements(Names)
         from container in Gen.Elements(Names)
         from kind in Gen.Elements(ArtifactContainerKind.Project, ArtifactContainerKind.Registry)
         from collection in Gen.Elements(Names)
         from aliases in Gen.SubListOf(Labels)
         from tags in Gen.SubListOf(Labels)
         from label in Gen.Elements(Labels)
         from number in Gen.Choose(-1000, 1000)
         from ticks in Gen.Choose(0, int.MaxValue)
         from offset in Gen.Choose(-12, 12)
         select new ArtifactEvent(
             "evt-" + number,
             type,
             new ArtifactContainer(entity, container, kind),
             collection,
             new ArtifactVersion("id" + number, collection, "v" + Math.Abs(number), aliases, tags, new Dictionary<string, JsonElement> { [label] = JsonSerializer.SerializeToElement(number / 7.0) }),
             label,
             new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.FromHours(offset)).AddTicks(ticks * 1000L),
             alias: type.CarriesAlias() ? label : null,
             tag: type.CarriesTag() ? label : null)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Any_event_round_trips_to_the_same_json() =>
        Prop.ForAll(Events, e =>
        {
            var json = AutomationJson.Serialize(e);
            var back = AutomationJson.DeserializeEvent(json);
            return json == AutomationJson.Serialize(back) && back.OccurredAt == e.OccurredAt && back.OccurredAt.Offset == e.OccurredAt.Offset;
        });
}
