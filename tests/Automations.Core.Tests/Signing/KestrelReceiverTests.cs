using System.Net;
using System.Text;
using Automations.Core.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Signing;

/// <summary>
/// The sender and receiver of docs/signing.md over real HTTP: a Kestrel receiver on 127.0.0.1 verifies what our
/// signer sends through HttpClient.
/// </summary>
public sealed class KestrelReceiverTests : IAsyncLifetime
{
    private const string Secret = SigningTestData.StandardSecret;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private readonly List<string> _received = [];
    private WebApplication? _app;
    private Uri? _baseAddress;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();

        var standard = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(Secret)], new FakeTimeProvider(Now));
        var wandb = new WandbSignatureVerifier("team-secret");

        _app.MapPost("/hooks/standard", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var result = standard.Verify(
                buffer.GetBuffer().AsSpan(0, (int)buffer.Length),
                request.Headers["webhook-id"],
                request.Headers["webhook-timestamp"],
                request.Headers["webhook-signature"]);
            return Record(result, request);
        });
        _app.MapPost("/hooks/wandb", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var result = wandb.Verify(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), request.Headers["X-Wandb-Signature"]);
            return Record(result, request);
        });

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address);
    }

    private IResult Record(WebhookVerificationResult result, HttpRequest request)
    {
        lock (_received)
        {
            _received.Add($"{result.Status} {request.Headers.Authorization}");
        }

        return result.IsValid ? Results.NoContent() : Results.Problem(result.Reason, statusCode: StatusCodes.Status401Unauthorized);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, WebhookSignatureHeaders headers)
    {
        using var client = new HttpClient { BaseAddress = _baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        headers.AddTo(request.Headers);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Signed_standard_delivery_is_accepted_and_a_tampered_one_refused()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [Secret], accessToken: "tok_123");
        var body = Encoding.UTF8.GetBytes("{\"event_type\":\"LINK_ARTIFACT\",\"note\":\"Zoë\"}");
        var headers = signer.Sign(WebhookSigner.NewMessageId(), Now, body);

        using var ok = await PostAsync("/hooks/standard", body, headers);
        body[^3] ^= 1;
        using var tampered = await PostAsync("/hooks/standard", body, headers);

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(["Valid Bearer tok_123", "InvalidSignature Bearer tok_123"], _received);
    }

    [Fact]
    public async Task Stale_standard_delivery_is_refused_with_the_reason()
    {
        var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [Secret]);
        var body = Encoding.UTF8.GetBytes("{}");

        using var response = await PostAsync("/hooks/standard", body, signer.Sign("msg_stale", Now.AddSeconds(-301), body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("past", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_wandb_delivery_is_accepted()
    {
        var body = Encoding.UTF8.GetBytes("{\"alias\":\"production\"}");
        var headers = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, ["team-secret"]).Sign("x", Now, body);

        using var response = await PostAsync("/hooks/wandb", body, headers);
        using var unsigned = await PostAsync("/hooks/wandb", body, default);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(["Valid ", "MissingHeader "], _received);
    }
}
