using System.Buffers.Text;
using System.Globalization;
using Automations.Core.Domain;

namespace Automations.Core.Signing;

/// <summary>
/// Produces the headers a webhook delivery sends: <c>X-Wandb-Signature</c>, the Standard Webhooks trio
/// (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>) and <c>Authorization: Bearer</c>, as
/// configured. Build one per webhook integration and reuse it; it is immutable and thread-safe, and signing a
/// message allocates only the header strings.
/// </summary>
/// <example>
/// <code>
/// var signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, ["my-secret"]);
/// var headers = signer.Sign(deliveryId, timeProvider.GetUtcNow(), body);
/// headers.AddTo(request.Headers); // X-Wandb-Signature: ...
/// </code>
/// </example>
public sealed class WebhookSigner
{
    /// <summary>Most Standard Webhooks keys one signer signs with at once (key rotation needs two or three).</summary>
    public const int MaxStandardWebhooksKeys = 8;

    /// <summary>Longest message id accepted, in characters.</summary>
    public const int MaxMessageIdLength = 256;

    private const int MaxTimestampDigits = 20;
    private const int EntryChars = 3 + WebhookSigningKey.MacBase64Chars; // "v1," + base64

    private readonly WebhookSigningKey? _wandbKey;
    private readonly WebhookSigningKey[] _standardKeys;
    private readonly string? _authorization;

    /// <summary>Creates a signer from ready keys and an optional access token.</summary>
    /// <param name="keys">
    /// At most one <see cref="WebhookSigningScheme.Wandb"/> key, and up to <see cref="MaxStandardWebhooksKeys"/>
    /// Standard Webhooks keys (the first is the current one; the others are being rotated out). No keys means no
    /// signature headers.
    /// </param>
    /// <param name="accessToken">Sent as <c>Authorization: Bearer &lt;token&gt;</c> when not null or empty.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> or one of them is null.</exception>
    /// <exception cref="AutomationValidationException">Too many keys, or the token is not printable ASCII without spaces.</exception>
    public WebhookSigner(IEnumerable<WebhookSigningKey> keys, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var problems = new ValidationProblemCollector();
        var standard = new List<WebhookSigningKey>();
        WebhookSigningKey? wandb = null;
        var index = 0;
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (key.Scheme == WebhookSigningScheme.Wandb)
            {
                if (wandb is null)
                {
                    wandb = key;
                }
                else
                {
                    problems.Add($"keys[{index}]", "Only one W&B key can sign: X-Wandb-Signature carries a single signature.");
                }
            }
            else
            {
                standard.Add(key);
            }

            index++;
        }

        if (standard.Count > MaxStandardWebhooksKeys)
        {
            problems.Add("keys", $"At most {MaxStandardWebhooksKeys} Standard Webhooks keys can sign at once.");
        }

        ValidateAccessToken(accessToken, problems);
        problems.ThrowIfInvalid();

        _wandbKey = wandb;
        _standardKeys = [.. standard];
        _authorization = string.IsNullOrEmpty(accessToken) ? null : "Bearer " + accessToken;
        Schemes = (wandb is null ? WebhookSigningScheme.None : WebhookSigningScheme.Wandb)
                  | (_standardKeys.Length == 0 ? WebhookSigningScheme.None : WebhookSigningScheme.StandardWebhooks);
    }

    /// <summary>Which signature headers this signer produces.</summary>
    public WebhookSigningScheme Schemes { get; }

    /// <summary>Whether an <c>Authorization: Bearer</c> header is sent.</summary>
    public bool SendsAuthorization => _authorization is not null;

    /// <summary>
    /// Creates a signer from secret strings as a webhook integration stores them. With
    /// <see cref="WebhookSigningScheme.Wandb"/> the first secret signs <c>X-Wandb-Signature</c> (its UTF-8 bytes are
    /// the key); with <see cref="WebhookSigningScheme.StandardWebhooks"/> every secret must be a <c>whsec_</c> secret
    /// and each adds one <c>v1</c> signature (list the current secret first, then the ones being rotated out).
    /// </summary>
    /// <param name="schemes">The schemes to sign with; <see cref="WebhookSigningScheme.None"/> for none.</param>
    /// <param name="secrets">The secrets: none for <see cref="WebhookSigningScheme.None"/>, one or more otherwise.</param>
    /// <param name="accessToken">Sent as <c>Authorization: Bearer &lt;token&gt;</c> when not null or empty.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> or one of them is null.</exception>
    /// <exception cref="AutomationValidationException">Every problem found (paths <c>schemes</c>, <c>secrets[i]</c>, <c>accessToken</c>); never contains a secret.</exception>
    public static WebhookSigner FromSecrets(WebhookSigningScheme schemes, IEnumerable<string> secrets, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var list = secrets.ToList();
        var problems = new ValidationProblemCollector();
        var keys = new List<WebhookSigningKey>();
        if ((schemes & ~(WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks)) != 0)
        {
            problems.Add("schemes", "Unknown signing scheme.");
        }
        else if (schemes == WebhookSigningScheme.None && list.Count > 0)
        {
            problems.Add("schemes", "Secrets were given but no signing scheme is selected.");
        }
        else if (schemes != WebhookSigningScheme.None && list.Count == 0)
        {
            problems.Add("secrets", "Signing needs at least one secret.");
        }
        else if (schemes == WebhookSigningScheme.Wandb && list.Count > 1)
        {
            problems.Add("secrets", "X-Wandb-Signature carries a single signature: give exactly one secret (rotation needs Standard Webhooks).");
        }
        else
        {
            for (var i = 0; i < list.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(list[i], nameof(secrets));
                if (i == 0 && schemes.HasFlag(WebhookSigningScheme.Wandb))
                {
                    AddKey(keys, problems, i, WebhookSigningScheme.Wandb, list[i]);
                }

                if (schemes.HasFlag(WebhookSigningScheme.StandardWebhooks))
                {
                    AddKey(keys, problems, i, WebhookSigningScheme.StandardWebhooks, list[i]);
                }
            }

            if (schemes.HasFlag(WebhookSigningScheme.StandardWebhooks) && list.Count > MaxStandardWebhooksKeys)
            {
                problems.Add("secrets", $"At most {MaxStandardWebhooksKeys} Standard Webhooks secrets can sign at once.");
            }
        }

        ValidateAccessToken(accessToken, problems);
        problems.ThrowIfInvalid();
        return new WebhookSigner(keys, accessToken);
    }

    /// <summary>
    /// Creates a new message id for <c>webhook-id</c>: <c>msg_</c> followed by 32 hex digits of a time-ordered
    /// (version 7) GUID. Keep it for every retry of the delivery so receivers can deduplicate.
    /// </summary>
    /// <returns>The id.</returns>
    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N", CultureInfo.InvariantCulture);

    /// <summary>Signs one delivery.</summary>
    /// <param name="messageId">
    /// The delivery id, the same across retries. Used (and checked) only for Standard Webhooks: 1 to 256 printable
    /// ASCII characters, no spaces and no <c>.</c> (it is a field separator of the signed content).
    /// </param>
    /// <param name="timestamp">The attempt time; sent as whole unix seconds. Used only for Standard Webhooks; must not be before 1970.</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <returns>The headers to send.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messageId"/> is null.</exception>
    /// <exception cref="AutomationValidationException">The message id or timestamp is invalid for Standard Webhooks.</exception>
    public WebhookSignatureHeaders Sign(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        Span<byte> mac = stackalloc byte[WebhookSigningKey.MacBytes];

        string? wandb = null;
        if (_wandbKey is not null)
        {
            _wandbKey.ComputeMac(body, default, mac);
            wandb = Convert.ToBase64String(mac);
        }

        string? id = null, unixText = null, signature = null;
        if (_standardKeys.Length > 0)
        {
            var unix = timestamp.ToUnixTimeSeconds();
            ValidateStandardInputs(messageId, unix);

            // The signed content is "{id}.{timestamp}.{body}"; the prefix lives on the stack, the body is hashed in place.
            Span<byte> prefix = stackalloc byte[MaxMessageIdLength + MaxTimestampDigits + 2];
            var length = 0;
            foreach (var c in messageId)
            {
                prefix[length++] = (byte)c;
            }

            prefix[length++] = (byte)'.';
            Utf8Formatter.TryFormat(unix, prefix[length..], out var digits);
            length += digits;
            prefix[length++] = (byte)'.';
            var signed = prefix[..length];

            Span<char> chars = stackalloc char[(_standardKeys.Length * (EntryChars + 1)) - 1];
            var written = 0;
            for (var i = 0; i < _standardKeys.Length; i++)
            {
                if (i > 0)
                {
                    chars[written++] = ' ';
                }

                _standardKeys[i].ComputeMac(signed, body, mac);
                chars[written++] = 'v';
                chars[written++] = '1';
                chars[written++] = ',';
                Convert.TryToBase64Chars(mac, chars[written..], out var b64);
                written += b64;
            }

            signature = new string(chars[..written]);
            id = messageId;
            unixText = unix.ToString(CultureInfo.InvariantCulture);
        }

        return new WebhookSignatureHeaders(wandb, id, unixText, signature, _authorization);
    }

    /// <summary>Describes the signer without revealing keys or the token.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"WebhookSigner {{ Schemes = {Schemes}, StandardWebhooksKeys = {_standardKeys.Length}, Authorization = {(SendsAuthorization ? "[redacted]" : "none")} }}";

    /// <summary>Checks a message id for Standard Webhooks; null when valid, otherwise the problem.</summary>
    internal static string? CheckMessageId(string messageId)
    {
        if (messageId.Length == 0)
        {
            return "The message id must not be empty.";
        }

        if (messageId.Length > MaxMessageIdLength)
        {
            return $"The message id must be at most {MaxMessageIdLength} characters.";
        }

        foreach (var c in messageId)
        {
            if (c is < '!' or > '~')
            {
                return "The message id must be printable ASCII without spaces.";
            }

            if (c == '.')
            {
                return "The message id must not contain '.' (it separates the fields of the signed content).";
            }
        }

        return null;
    }

    private static void ValidateStandardInputs(string messageId, long unix)
    {
        var idProblem = CheckMessageId(messageId);
        if (idProblem is null && unix >= 0)
        {
            return;
        }

        var problems = new ValidationProblemCollector();
        if (idProblem is not null)
        {
            problems.Add("messageId", idProblem);
        }

        if (unix < 0)
        {
            problems.Add("timestamp", "The timestamp must not be before 1970-01-01T00:00:00Z.");
        }

        problems.ThrowIfInvalid();
    }

    private static void AddKey(List<WebhookSigningKey> keys, ValidationProblemCollector problems, int index, WebhookSigningScheme scheme, string secret)
    {
        try
        {
            keys.Add(WebhookSigningKey.Create(scheme, secret));
        }
        catch (AutomationValidationException ex)
        {
            problems.AddRange($"secrets[{index}]", ex.Problems.Select(p => p with { Path = string.Empty }));
        }
    }

    private static void ValidateAccessToken(string? accessToken, ValidationProblemCollector problems)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return;
        }

        foreach (var c in accessToken)
        {
            if (c is < '!' or > '~')
            {
                problems.Add("accessToken", "The access token must be printable ASCII without spaces.");
                return;
            }
        }
    }
}
