namespace PubSub.Ingestion.Lambda;

/// <summary>The one API Gateway REST API (id, stage, account) whose requests this function answers. The
/// function trusts <c>requestContext.identity.apiKeyId</c> only because API Gateway checked the key; an
/// invocation from anywhere else (another API, a direct Invoke) could claim any key id.</summary>
public sealed record TrustedApi(string ApiId, string Stage, string AccountId)
{
    public bool Sent(ApiGatewayRequestContext? context) =>
        context is not null
        && string.Equals(context.ApiId, ApiId, StringComparison.Ordinal)
        && string.Equals(context.Stage, Stage, StringComparison.Ordinal)
        && string.Equals(context.AccountId, AccountId, StringComparison.Ordinal);
}
