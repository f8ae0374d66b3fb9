using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;

namespace Automations.Core.Tests.Domain;

public class AutomationTests
{
    private static readonly AutomationTrigger Trigger = new(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision"), collection: "ds");

    [Fact]
    public void Exposes_scope_from_trigger_and_formats_without_payload()
    {
        var automation = new Automation("a1", "retrain", Trigger, new WebhookAction("wh", """{"token":"${TOKEN}"}"""), DomainSamples.Now, DomainSamples.Now);

        Assert.Same(Trigger.Scope, automation.Scope);
        Assert.True(automation.Enabled);
        Assert.Equal("retrain (a1): LINK_ARTIFACT in project:acme/vision collection ds -> GENERIC_WEBHOOK wh", automation.ToString());
    }

    [Fact]
    public void Name_is_limited_to_255_characters()
    {
        _ = new Automation("a1", new string('n', 255), Trigger, NoOpAction.Instance, DomainSamples.Now, DomainSamples.Now);
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new Automation("a1", new string('n', 256), Trigger, NoOpAction.Instance, DomainSamples.Now, DomainSamples.Now));
        Assert.Equal("name", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new Automation("", "", null!, null!, DomainSamples.Now, DomainSamples.Now.AddSeconds(-1), new string('d', Automation.MaxDescriptionLength + 1)));
        Assert.Equal(["id", "name", "description", "trigger", "action", "updatedAt"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void WithEnabled_returns_an_updated_copy()
    {
        var automation = new Automation("a1", "retrain", Trigger, NoOpAction.Instance, DomainSamples.Now, DomainSamples.Now);
        var later = DomainSamples.Now.AddMinutes(5);

        var disabled = automation.WithEnabled(false, later);

        Assert.True(automation.Enabled);
        Assert.False(disabled.Enabled);
        Assert.Equal(later, disabled.UpdatedAt);
        Assert.Equal(automation.CreatedAt, disabled.CreatedAt);
        Assert.EndsWith("[disabled]", disabled.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithDefinition_validates_the_new_values()
    {
        var automation = new Automation("a1", "retrain", Trigger, NoOpAction.Instance, DomainSamples.Now, DomainSamples.Now);

        var renamed = automation.WithDefinition("retrain-v2", "desc", Trigger, NoOpAction.Instance, DomainSamples.Now.AddDays(1));
        Assert.Equal("retrain-v2", renamed.Name);
        Assert.Equal("desc", renamed.Description);

        Assert.Throws<AutomationValidationException>(() => automation.WithDefinition("", null, Trigger, NoOpAction.Instance, DomainSamples.Now));
    }
}
