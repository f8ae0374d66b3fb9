using Automations.Core.Abstractions;
using Automations.Core.Engine;
using Automations.Core.Storage.InMemory;
using Automations.Core.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automations.Core.Tests.DependencyInjection;

public class AutomationsServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_the_engine_with_in_memory_stores_and_is_harmless_twice()
    {
        var services = new ServiceCollection();
        services.AddAutomations();
        services.AddAutomations().AddActionHandler<ScriptedHandler>().AddActionHandler<ScriptedHandler>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<InMemoryAutomationStore>(provider.GetRequiredService<IAutomationStore>());
        Assert.NotNull(provider.GetRequiredService<AutomationEngine>());
        Assert.NotNull(provider.GetRequiredService<DeliveryWorker>());
        Assert.NotNull(provider.GetRequiredService<AutomationManager>());
        Assert.Single(provider.GetServices<IHostedService>());
        var kinds = provider.GetServices<IActionHandler>().Select(h => h.Kind).ToList();
        Assert.Equal(kinds.Count, kinds.Distinct().Count());
        Assert.Contains(ScriptedHandler.KindName, kinds);
        Assert.Contains("QUEUE_JOB", kinds);
    }

    [Fact]
    public void Invalid_options_fail_validation_with_every_problem()
    {
        var services = new ServiceCollection();
        services.AddAutomations(o => { o.MaxConcurrency = 0; o.RetryJitter = 2; });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AutomationEngineOptions>>().Value);
        Assert.Equal(2, ex.Failures.Count());
    }

    [Fact]
    public async Task Host_start_validates_options_on_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAutomations(o => o.LeaseDuration = TimeSpan.Zero);
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task Host_supplied_launch_queue_is_used_by_the_engine()
    {
        var queue = new InMemoryLaunchQueue();
        queue.CreateQueue("acme", "gpu");
        var services = new ServiceCollection();
        services.AddAutomations().AddLaunchQueue(queue).AddTeamRoles(r => r.Grant("acme", "alice", TeamRole.Admin));
        using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<AutomationManager>();

        var automation = await manager.CreateAsync(new AutomationActor("alice"), new AutomationDefinition("train", EngineHarness.OnLink(), new Automations.Core.Domain.Actions.LaunchJobAction("job", "gpu")));

        Assert.Equal("gpu", automation.Action.Queue);
    }
}
