using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Http;
using Automations.Core.Signing;

namespace Automations.Core.Engine;

/// <summary>
/// A "test webhook" request to a URL that is not (yet) a saved integration, for <see cref="WebhookTester.TestUrlAsync"/>
/// and the <c>automations webhook test</c> CLI verb: the URL, an optional exact JSON body, and optionally the signing
/// secret value, the access token and the signature scheme(s) — signed exactly as deliveries are. Immutable and
/// validated; its <see cref="ToString"/> never shows the secret or the token, and shows the URL's origin only.
/// </summary>
/// <example>
/// <code>
/// var request = new WebhookTestRequest("https://hooks.example.com/automations",
///     secretValue: "my-secret", accessToken: "ghp_abc", signingScheme: WebhookSigningScheme.Wandb);
/// var result = await tester.TestUrlAsync(request);
/// Console.WriteLine(result); // Succeeded (200) in 84 ms: The endpoint answered 200 OK.
/// </code>
/// </example>
public sealed class WebhookTestRequest
{
    /// <summary>The largest test body accepted: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Creates and validates a request.</summary>
    /// <param name="url">
    /// The endpoint URL. It is not validated here: the endpoint policy decides when testing, and a refused URL is a
    /// refusal in the result, not an exception.
    /// </param>
    /// <param name="body">
    /// The exact JSON body to send (copied), or <see langword="null"/> for the GitHub <c>repository_dispatch</c> preset
    /// rendered for a sample event (<see cref="WebhookTester.CreateSampleContext"/>).
    /// </param>
    /// <param name="secretValue">The signing secret's value, or <see langword="null"/> (or empty) for an unsigned request.</param>
    /// <param name="accessToken">Sent as <c>Authorization: Bearer &lt;token&gt;</c> when not <see langword="null"/> or empty.</param>
    /// <param name="signingScheme">
    /// The signature header(s) to send with <paramref name="secretValue"/>: <see cref="WebhookSigningScheme.Wandb"/>
    /// (default; the secret's UTF-8 bytes are the key), <see cref="WebhookSigningScheme.StandardWebhooks"/> (the secret
    /// must be a <c>whsec_</c> secret), or both. Ignored without a secret.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationValidationException">
    /// Every problem found, with paths <c>body</c>, <c>secretValue</c>, <c>accessToken</c> and <c>signingScheme</c>;
    /// the messages never repeat the secret, the token or the body.
    /// </exception>
    public WebhookTestRequest(
        string url,
        ReadOnlyMemory<byte>? body = null,
        string? secretValue = null,
        string? accessToken = null,
        WebhookSigningScheme signingScheme = WebhookSigningScheme.Wandb)
    {
        ArgumentNullException.ThrowIfNull(url);
        var problems = new ValidationProblemCollector();
        if (body is { } given)
        {
            ValidateBody(given.Span, "body", problems);
        }

        var secret = string.IsNullOrEmpty(secretValue) ? null : secretValue;
        var token = string.IsNullOrEmpty(accessToken) ? null : accessToken;
        var schemes = secret is null ? WebhookSigningScheme.None : signingScheme;
        WebhookSigner? signer = null;
        if (secret is not null || token is not null)
        {
            try
            {
                signer = WebhookSigner.FromSecrets(schemes, secret is null ? [] : [secret], token);
            }
            catch (AutomationValidationException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    problems.Add(MapSignerPath(problem.Path), problem.Message);
                }
            }
        }

        problems.ThrowIfInvalid();
        Url = url;

        // Not a conditional expression: null would convert to an empty (non-null) memory through byte[].
        if (body is { } copy)
        {
            Body = copy.ToArray();
        }

        SigningScheme = schemes;
        Secret = secret;
        AccessToken = token;
        Signer = signer;
    }

    /// <summary>The endpoint URL, as given.</summary>
    public string Url { get; }

    /// <summary>The exact body to send (a private copy), or <see langword="null"/> for the sample preset payload.</summary>
    public ReadOnlyMemory<byte>? Body { get; }

    /// <summary>The signature header(s) sent; <see cref="WebhookSigningScheme.None"/> without a secret.</summary>
    public WebhookSigningScheme SigningScheme { get; }

    /// <summary>Whether the request is signed (a secret value was given).</summary>
    public bool IsSigned => Secret is not null;

    /// <summary>Whether an <c>Authorization: Bearer</c> header is sent.</summary>
    public bool HasAccessToken => AccessToken is not null;

    internal string? Secret { get; }

    internal string? AccessToken { get; }

    internal WebhookSigner? Signer { get; }

    /// <summary>Describes the request without the secret, the token, or the URL's path and query.</summary>
    /// <returns>For example <c>WebhookTestRequest { Url = https://hooks.example.com/…, Body = sample, SigningScheme = Wandb, Secret = [redacted], AccessToken = none }</c>.</returns>
    public override string ToString()
    {
        var origin = Uri.TryCreate(Url, UriKind.Absolute, out var parsed) ? WebhookDispatcher.Origin(parsed) + "/…" : "(not an absolute URL)";
        var body = Body is { } b ? $"{b.Length} bytes" : "sample";
        return $"WebhookTestRequest {{ Url = {origin}, Body = {body}, SigningScheme = {SigningScheme}, Secret = {(IsSigned ? "[redacted]" : "none")}, AccessToken = {(HasAccessToken ? "[redacted]" : "none")} }}";
    }

    /// <summary>Checks a test body: not empty, at most <see cref="MaxBodyBytes"/>, one well-formed UTF-8 JSON value. Never echoes the content.</summary>
    internal static void ValidateBody(ReadOnlySpan<byte> body, string path, ValidationProblemCollector problems)
    {
        if (body.IsEmpty)
        {
            problems.Add(path, "must not be empty; pass null (not an empty or null array) to send the sample payload");
            return;
        }

        if (body.Length > MaxBodyBytes)
        {
            problems.Add(path, $"must be at most {MaxBodyBytes} bytes; this one is {body.Length} bytes");
            return;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            problems.Add(path, $"must be one well-formed JSON value in UTF-8 (error at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
        }
    }

    private static string MapSignerPath(string path) => path switch
    {
        "schemes" => "signingScheme",
        "accessToken" => "accessToken",
        _ => "secretValue",
    };
}
