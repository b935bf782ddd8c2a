using System.Text.Json.Nodes;
using PubSub.Definition;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    private const string Api = "Api";
    private const string Stage = "ApiStage";

    private static string ApiKeyId(string publisher) => LogicalIds.Of("ApiKey", publisher);

    /// <summary>API Gateway's own refusals (key, plan, size) in the same RFC 9457 shape as the function's.</summary>
    private static readonly (string Type, int Status, string Problem, string Title)[] GatewayProblems =
    [
        ("INVALID_API_KEY", 403, "invalid-api-key", "API key not accepted"),
        ("MISSING_AUTHENTICATION_TOKEN", 404, "not-found", "Not found"),
        ("THROTTLED", 429, "rate-limited", "Too many requests"),
        ("QUOTA_EXCEEDED", 429, "quota-exceeded", "Quota exceeded"),
        ("REQUEST_TOO_LARGE", 413, "payload-too-large", "Too large"),
        ("DEFAULT_4XX", 400, "bad-request", "Bad request"),
        ("DEFAULT_5XX", 502, "gateway-error", "Gateway error"),
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

        var responses = new List<string>();
        foreach (var (type, status, problem, title) in GatewayProblems)
        {
            var id = LogicalIds.Of("GatewayResponse", type.ToLowerInvariant());
            responses.Add(id);
            Resource(id, "AWS::ApiGateway::GatewayResponse", new JsonObject
            {
                ["RestApiId"] = Fn.Ref(Api),
                ["ResponseType"] = type,
                ["StatusCode"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ResponseParameters"] = new JsonObject { ["gatewayresponse.header.Content-Type"] = "'application/problem+json'" },
                ["ResponseTemplates"] = new JsonObject
                {
                    ["application/json"] =
                        $$"""{"type":"urn:pubsub:problem:{{problem}}","title":"{{title}}","status":{{status}},"detail":$context.error.messageString,"requestId":"$context.requestId"}""",
                },
            });
        }

        // A deployment is immutable: its logical id carries a hash of what it deploys, so that a change
        // of method or responses makes CloudFormation create a new one.
        var deployment = "ApiDeployment" + Hash(method, _resources["EventsResource"], new JsonArray([.. responses.Select(r => _resources[r]!.DeepClone())]));
        Resource(deployment, "AWS::ApiGateway::Deployment", new JsonObject
        {
            ["RestApiId"] = Fn.Ref(Api),
            ["Description"] = "POST /events",
        }, dependsOn: ["EventsPostMethod", .. responses]);

        // Access logs need API Gateway's account-wide CloudWatch role; the stage waits for it when the stack sets it.
        Resource("ApiGatewayCloudWatchRole", "AWS::IAM::Role", new JsonObject
        {
            ["AssumeRolePolicyDocument"] = Fn.PolicyDocument(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "apigateway.amazonaws.com" },
                ["Action"] = "sts:AssumeRole",
            }),
            ["ManagedPolicyArns"] = Fn.List(Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")),
        }, condition: "CreatesApiGatewayAccountRole");
        Resource("ApiGatewayAccount", "AWS::ApiGateway::Account", new JsonObject
        {
            ["CloudWatchRoleArn"] = Fn.GetAtt("ApiGatewayCloudWatchRole", "Arn"),
        }, condition: "CreatesApiGatewayAccountRole");
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
        });
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
        }, dependsOn: ["ApiGatewayAccountReady"]);

        foreach (var publisher in _definition.Publishers)
        {
            AddPublisher(publisher);
        }
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
