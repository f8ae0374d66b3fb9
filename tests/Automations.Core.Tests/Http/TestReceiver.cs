using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automations.Core.Tests.Http;

/// <summary>A real Kestrel receiver on 127.0.0.1 that records every request and counts TCP connections.</summary>
internal sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    private TestReceiver(WebApplication app) => _app = app;

    /// <summary>What the receiver recorded for the request being answered (for responders that echo it).</summary>
    public static ReceivedRequest Current(HttpContext context) => (ReceivedRequest)context.Items[typeof(ReceivedRequest)]!;

    public sealed record ReceivedRequest(string Method, string Target, string Host, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port}");

    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    public static async Task<TestReceiver> StartAsync(Func<HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        TestReceiver? receiver = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref receiver!._connections);
            return next(connection);
        })));

        var app = builder.Build();
        receiver = new TestReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var target = context.Request.Path + context.Request.QueryString;
            var received = new ReceivedRequest(context.Request.Method, target, context.Request.Host.Value ?? string.Empty, headers, body.ToArray());
            context.Items[typeof(ReceivedRequest)] = received;
            receiver.Requests.Enqueue(received);
            await respond(context);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A handler still waiting: the host aborts it.
        }

        await _app.DisposeAsync();
    }
}
