using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Automations.Sqlite.Tests;

/// <summary>
/// Issue 7's crash test: a host process publishing and delivering with SQLite is SIGKILLed at random moments,
/// restarted each time, and finally run to completion. Then every published event's deliveries must have reached
/// the receiver at least once (0 lost), every duplicate must carry the same delivery id, and nothing may be stuck.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int EventCount = 400;
    private const int AutomationsPerEvent = 3;
    private const int MinKills = 12;

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Killing_the_host_at_random_moments_loses_nothing_and_duplicates_keep_their_delivery_id()
    {
        var seed = Environment.GetEnvironmentVariable("CRASH_TEST_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        output.WriteLine($"seed {seed} (set CRASH_TEST_SEED to replay)");

        var receipts = new ConcurrentQueue<Receipt>();
        var rejected = 0;
        await using var receiver = await StartReceiverAsync(receipts, random.Next(), () => Interlocked.Increment(ref rejected));
        var url = receiver.Urls.First() + "/receive";
        var host = HostPath();

        var budget = Stopwatch.StartNew();
        int kills = 0, runs = 0, finishedEarly = 0;
        while (kills < MinKills && budget.Elapsed < TimeSpan.FromSeconds(40))
        {
            runs++;
            using var process = Start(host, url);
            var delay = TimeSpan.FromMilliseconds(random.Next(250, 1500));
            using var wait = new CancellationTokenSource(delay);
            try
            {
                await process.WaitForExitAsync(wait.Token);
                finishedEarly++;
                Assert.True(process.ExitCode == 0, $"The host failed with exit code {process.ExitCode}.");
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: false); // SIGKILL on Unix: no clean-up runs in the host
                await process.WaitForExitAsync();
                kills++;
            }
        }

        runs++;
        using (var final = Start(host, url))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await final.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, final.ExitCode);
        }

        var stored = ReadDeliveries();
        var received = receipts.ToArray();
        var accepted = received.Where(r => r.Accepted).ToList();
        var acceptedIds = accepted.Select(r => r.DeliveryId).ToHashSet(StringComparer.Ordinal);
        var lost = stored.Where(d => !acceptedIds.Contains(d.Id)).ToList();
        var stuck = stored.Where(d => d.Status != 1).ToList();
        var duplicates = accepted.Count - acceptedIds.Count;
        var idsPerPair = received.GroupBy(r => (r.EventId, r.AutomationId)).Where(g => g.Select(r => r.DeliveryId).Distinct().Count() > 1).ToList();
        var pairsPerId = received.GroupBy(r => r.DeliveryId).Where(g => g.Select(r => (r.EventId, r.AutomationId)).Distinct().Count() > 1).ToList();
        var unknown = acceptedIds.Except(stored.Select(d => d.Id)).ToList();

        output.WriteLine($"runs {runs}: {kills} killed with SIGKILL, {finishedEarly} finished before their kill, {budget.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"events published {stored.Select(d => d.EventId).Distinct().Count()} of {EventCount}; deliveries {stored.Count} (expected {EventCount * AutomationsPerEvent})");
        output.WriteLine($"receiver: {received.Length} requests, {accepted.Count} accepted, {rejected} answered 503 on purpose");
        output.WriteLine($"delivered at least once {acceptedIds.Count}; lost {lost.Count}; duplicates {duplicates} (all with their original delivery id: {idsPerPair.Count == 0 && pairsPerId.Count == 0}); stuck {stuck.Count}");

        Assert.True(kills >= 10, $"Only {kills} kills happened.");
        Assert.Equal(EventCount * AutomationsPerEvent, stored.Count);
        Assert.Equal(EventCount, stored.Select(d => d.EventId).Distinct().Count());
        Assert.All(stored.GroupBy(d => d.EventId), g => Assert.Equal(AutomationsPerEvent, g.Count()));
        Assert.Empty(lost);
        Assert.Empty(stuck);
        Assert.Empty(idsPerPair);
        Assert.Empty(pairsPerId);
        Assert.Empty(unknown);
    }

    private static string HostPath()
    {
        var here = AppContext.BaseDirectory;
        var path = Path.Combine(here.Replace("Automations.Sqlite.Tests", "Automations.CrashHost", StringComparison.Ordinal), "Automations.CrashHost.dll");
        Assert.True(File.Exists(path), $"The crash host was not built at {path}.");
        return path;
    }

    private Process Start(string host, string url)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(host);
        info.ArgumentList.Add(_db.Path_);
        info.ArgumentList.Add(url);
        info.ArgumentList.Add(EventCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                output.WriteLine("host stderr: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private List<(string Id, string EventId, int Status)> ReadDeliveries()
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.id, e.event_id, d.status FROM deliveries d JOIN events e ON e.seq = d.event_seq;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return rows;
    }

    private static async Task<WebApplication> StartReceiverAsync(ConcurrentQueue<Receipt> receipts, int seed, Action onRejected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var random = new Random(seed);
        var gate = new object();
        app.MapPost("/receive", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var root = body.RootElement;
            bool reject;
            lock (gate)
            {
                reject = random.NextDouble() < 0.05; // some failures, so retries are exercised too
            }

            receipts.Enqueue(new Receipt(root.GetProperty("deliveryId").GetString()!, root.GetProperty("eventId").GetString()!, root.GetProperty("automationId").GetString()!, !reject));
            if (reject)
            {
                onRejected();
                return Results.StatusCode((int)HttpStatusCode.ServiceUnavailable);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    private sealed record Receipt(string DeliveryId, string EventId, string AutomationId, bool Accepted);
}
