using Microsoft.Extensions.Hosting;

namespace Automations.Core.Engine;

/// <summary>Runs the <see cref="DeliveryWorker"/> in the background of a generic host; published events wake it.</summary>
internal sealed class AutomationsHostedService(AutomationEngine engine, DeliveryWorker worker) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        engine.DeliveriesPlanned += OnPlanned;
        try
        {
            await worker.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            engine.DeliveriesPlanned -= OnPlanned;
        }
    }

    private void OnPlanned(object? sender, EventArgs e) => worker.Wake();
}
