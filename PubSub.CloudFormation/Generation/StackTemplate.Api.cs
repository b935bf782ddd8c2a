using System.Text.Json.Nodes;
using PubSub.Definition;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    private const string Api = "Api";
    private const string Stage = "ApiStage";

    private static string ApiKeyId(string publisher) => LogicalIds.Of("ApiKey", publisher);

    /// <summary>API Gateway's own refusals (key, plan, size) in the same RFC 9457 shape as the function's. The two
    /// fallbacks have no status: a status on DEFAULT_4XX or DEFAULT_5XX would become that of every response type
    /// not customised here (API Gateway's gateway response types), so they keep each type's own.</summary>
    private static readonly (string Type, int? Status, string Problem, string Title)[] GatewayProblems =
    [
        ("INVALID_API_KEY", 403, "invalid-api-key", "API key not accepted"),
        ("MISSING_AUTHENTICATION_TOKEN", 404, "not-found", "Not found"),
        ("THROTTLED", 429, "rate-limited", "Too many requests"),
        ("QUOTA_EXCEEDED", 429, "quota-exceeded", "Quota exceeded"),
        ("REQUEST_TOO_LARGE", 413, "payload-too-large", "Too large"),
        ("DEFAULT_4XX", null, "bad-request", "Bad request"),
        ("DEFAULT_5XX", null, "gateway-error", "Gateway error"),
    ];

    private void AddApi()
    {
        Resource(Api, "AWS::ApiGateway::RestApi", new JsonObject
        {
            ["Name"] = Fn.Sub("${AWS::StackName}-ingestion"),
            ["Description"] = $"{_definition.Name}: publishers POST events here with their API key (x-api-key).",
            ["EndpointConfiguration"] = new JsonObject { ["Types"] = Fn.Strings(["REGIONAL"]) },
            ["ApiKeySourceType"] = "HEADER",
        });
        Resource("EventsResource", "AWS::ApiGateway::Resource", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["ParentId"] = Fn.GetAtt(Api, "RootResourceId"),
            ["PathPart"] = "events",
        });
        var method = Resource("EventsPostMethod", "AWS::ApiGateway::Method", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["ResourceId"] = Fn.Ref("EventsResource"),
            ["HttpMethod"] = "POST",
            ["AuthorizationType"] = "NONE",
            ["ApiKeyRequired"] = true,
            ["Integration"] = new JsonObject
            {
                ["Type"] = "AWS_PROXY",
                ["IntegrationHttpMethod"] = "POST",
                ["Uri"] = Fn.Sub($"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{IngestionFunction}.Arn}}/invocations"),
                ["TimeoutInMillis"] = 29000,
            },
        });
        Resource("IngestionInvokePermission", "AWS::Lambda::Permission", new JsonObject
        {
            ["Action"] = "lambda:InvokeFunction",
            ["FunctionName"] = Fn.GetAtt(IngestionFunction, "Arn"),
            ["Principal"] = "apigateway.amazonaws.com",
            ["SourceArn"] = Fn.Sub($"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{Api}}}/*/POST/events"),
        });

        var jwks = AddJwks();

        var responses = new List<string>();
        foreach (var (type, status, problem, title) in GatewayProblems)
        {
            var id = LogicalIds.Of("GatewayResponse", type.ToLowerInvariant());
            responses.Add(id);
            var properties = new JsonObject
            {
                ["RestApiId"] = Fn.Ref(Api),
                ["ResponseType"] = type,
            };
            if (status is { } code)
            {
                properties["StatusCode"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var statusMember = status is { } s ? $"\"status\":{s}," : "";
            properties["ResponseParameters"] = new JsonObject { ["gatewayresponse.header.Content-Type"] = "'application/problem+json'" };
            properties["ResponseTemplates"] = new JsonObject
            {
                ["application/json"] =
                    $$"""{"type":"urn:pubsub:problem:{{problem}}","title":"{{title}}",{{statusMember}}"detail":$context.error.messageString,"requestId":"$context.requestId"}""",
            };
            Resource(id, "AWS::ApiGateway::GatewayResponse", properties);
        }

        // A deployment is immutable: its logical id carries a hash of what it deploys, so that a change
        // of method or responses makes CloudFormation create a new one.
        var deployment = "ApiDeployment" + Hash(method, _resources["EventsResource"], jwks, new JsonArray([.. responses.Select(r => _resources[r]!.DeepClone())]));
        Resource(deployment, "AWS::ApiGateway::Deployment", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["Description"] = $"POST /events, GET {JwksPath}",
        }, dependsOn: ["EventsPostMethod", JwksMethod, .. responses]);

        // Access and execution logs need API Gateway's CloudWatch role, one setting per account and region. The
        // account waits for the API: in a region that never used API Gateway, setting it first fails ("role ARN does
        // not have required permissions"), as CDK found. Both are kept when the stack goes, so that other APIs of
        // the region keep logging.
        Resource("ApiGatewayCloudWatchRole", "AWS::IAM::Role", new JsonObject
        {
            ["AssumeRolePolicyDocument"] = Fn.PolicyDocument(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "apigateway.amazonaws.com" },
                ["Action"] = "sts:AssumeRole",
            }),
            ["ManagedPolicyArns"] = Fn.List(Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")),
        }, condition: "CreatesApiGatewayAccountRole", retain: true);
        Resource("ApiGatewayAccount", "AWS::ApiGateway::Account", new JsonObject
        {
            ["CloudWatchRoleArn"] = Fn.GetAtt("ApiGatewayCloudWatchRole", "Arn"),
        }, condition: "CreatesApiGatewayAccountRole", retain: true, dependsOn: [Api]);
        _ids.Add("ApiGatewayAccountReady");
        _resources["ApiGatewayAccountReady"] = new JsonObject
        {
            // DependsOn cannot name a resource that a condition may leave out; a reference inside Fn::If can.
            ["Type"] = "AWS::CloudFormation::WaitConditionHandle",
            ["Metadata"] = new JsonObject { ["Account"] = Fn.If("CreatesApiGatewayAccountRole", Fn.Ref("ApiGatewayAccount"), "existing") },
        };
        Resource("ApiAccessLogGroup", "AWS::Logs::LogGroup", new JsonObject
        {
            ["LogGroupName"] = Fn.Sub("/aws/apigateway/${AWS::StackName}-access"),
            ["RetentionInDays"] = Fn.Ref("LogRetentionDays"),
        }, retain: true);

        // The group API Gateway writes execution logs (LoggingLevel ERROR) to; created here, before the stage,
        // so that it has a retention instead of keeping logs forever.
        Resource("ApiExecutionLogGroup", "AWS::Logs::LogGroup", new JsonObject
        {
            ["LogGroupName"] = Fn.Sub($"API-Gateway-Execution-Logs_${{{Api}}}/${{StageName}}"),
            ["RetentionInDays"] = Fn.Ref("LogRetentionDays"),
        }, retain: true);
        Resource(Stage, "AWS::ApiGateway::Stage", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["DeploymentId"] = Fn.Ref(deployment),
            ["StageName"] = Fn.Ref("StageName"),
            ["TracingEnabled"] = true,
            ["AccessLogSetting"] = new JsonObject
            {
                ["DestinationArn"] = Fn.GetAtt("ApiAccessLogGroup", "Arn"),
                ["Format"] = """{"requestId":"$context.requestId","apiKeyId":"$context.identity.apiKeyId","ip":"$context.identity.sourceIp","time":"$context.requestTime","method":"$context.httpMethod","path":"$context.path","status":"$context.status","length":"$context.responseLength","latency":"$context.responseLatency","integrationLatency":"$context.integrationLatency","error":"$context.error.responseType"}""",
            },
            ["MethodSettings"] = Fn.List(new JsonObject
            {
                ["ResourcePath"] = "/*",
                ["HttpMethod"] = "*",
                ["MetricsEnabled"] = true,
                ["LoggingLevel"] = "ERROR",
                ["DataTraceEnabled"] = false,
            }),
        }, dependsOn: ["ApiGatewayAccountReady", "ApiExecutionLogGroup"]);

        foreach (var publisher in _definition.Publishers)
        {
            AddPublisher(publisher);
        }
    }

    private const string JwksPath = "/.well-known/jwks.json";
    private const string JwksMethod = "JwksGetMethod";

    /// <summary><c>GET /.well-known/jwks.json</c>, without a key: the webhooks' v1a public keys, the document the local
    /// ingestion host serves. A mock integration answers it with the <c>WebhookJwks</c> parameter: no function runs for an
    /// unauthenticated public document, and the ingestion core (which may not reference the webhooks core) stays out
    /// of it. The parameter is the document itself (CloudFormation cannot turn whpk_ keys into JWKs); a VTL character
    /// ($, #, \) is refused, since the document is a mapping template. Returns what the deployment's hash must cover.</summary>
    private JsonArray AddJwks()
    {
        Parameter("WebhookJwks", "String",
            $"The JWKS document served at GET {JwksPath} (the webhooks' Ed25519 public keys): what the local ingestion host serves there with the same keys in Webhooks:PublicKeys. After changing it, deploy the stage again (docs/deploying.md).",
            """{"keys":[]}""")["AllowedPattern"] = """^\{[^$#\\]*\}$""";
        Resource("WellKnownResource", "AWS::ApiGateway::Resource", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["ParentId"] = Fn.GetAtt(Api, "RootResourceId"),
            ["PathPart"] = ".well-known",
        });
        Resource("JwksResource", "AWS::ApiGateway::Resource", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["ParentId"] = Fn.Ref("WellKnownResource"),
            ["PathPart"] = "jwks.json",
        });
        var headers = new JsonObject
        {
            ["method.response.header.Content-Type"] = "'application/jwk-set+json'",
            ["method.response.header.Cache-Control"] = "'public, max-age=300'", // as locally: a rotation publishes the new key first
        };
        var method = Resource(JwksMethod, "AWS::ApiGateway::Method", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["ResourceId"] = Fn.Ref("JwksResource"),
            ["HttpMethod"] = "GET",
            ["AuthorizationType"] = "NONE",
            ["ApiKeyRequired"] = false,
            ["Integration"] = new JsonObject
            {
                ["Type"] = "MOCK",
                ["RequestTemplates"] = new JsonObject { ["application/json"] = """{"statusCode": 200}""" },
                ["PassthroughBehavior"] = "WHEN_NO_TEMPLATES",
                ["IntegrationResponses"] = Fn.List(new JsonObject
                {
                    ["StatusCode"] = "200",
                    ["ResponseParameters"] = headers,
                    ["ResponseTemplates"] = new JsonObject { ["application/json"] = Fn.Ref("WebhookJwks") },
                }),
            },
            ["MethodResponses"] = Fn.List(new JsonObject
            {
                ["StatusCode"] = "200",
                ["ResponseParameters"] = new JsonObject([.. headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)true))]),
            }),
        });
        return [method.DeepClone(), _resources["WellKnownResource"]!.DeepClone(), _resources["JwksResource"]!.DeepClone()];
    }

    /// <summary>A publisher's API key (its value is generated by API Gateway and never in the template),
    /// its usage plan (the definition's rate, burst and quota) and the link between them.</summary>
    private void AddPublisher(PublisherDefinition publisher)
    {
        var key = ApiKeyId(publisher.Name);
        var plan = LogicalIds.Of("UsagePlan", publisher.Name);
        Resource(key, "AWS::ApiGateway::ApiKey", new JsonObject
        {
            ["Name"] = Fn.Sub($"${{AWS::StackName}}-{publisher.Name}"),
            ["Description"] = publisher.Description ?? $"Publisher {publisher.Name}",
            ["Enabled"] = publisher.Enabled,
        });
        var properties = new JsonObject
        {
            ["UsagePlanName"] = Fn.Sub($"${{AWS::StackName}}-{publisher.Name}"),
            ["Description"] = $"The plan of publisher {publisher.Name}, from the system definition.",
            ["ApiStages"] = Fn.List(new JsonObject { ["ApiId"] = Fn.Ref(Api), ["Stage"] = Fn.Ref(Stage) }),
        };
        if (publisher.Plan is { } usage)
        {
            properties["Throttle"] = new JsonObject { ["RateLimit"] = usage.RateLimit, ["BurstLimit"] = usage.BurstLimit };
            if (usage.Quota is { } quota)
            {
                properties["Quota"] = new JsonObject { ["Limit"] = quota.Limit, ["Period"] = quota.Period.ToString().ToUpperInvariant() };
            }
        }

        Resource(plan, "AWS::ApiGateway::UsagePlan", properties);
        Resource(LogicalIds.Of("UsagePlanKey", publisher.Name), "AWS::ApiGateway::UsagePlanKey", new JsonObject
        {
            ["KeyId"] = Fn.Ref(key),
            ["KeyType"] = "API_KEY",
            ["UsagePlanId"] = Fn.Ref(plan),
        });
    }
}
