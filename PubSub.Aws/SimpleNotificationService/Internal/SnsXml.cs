using System.Net;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SimpleNotificationService;

namespace PubSub.Aws.SimpleNotificationService.Internal;

/// <summary>Reads SNS's XML answers: <c>&lt;{Op}Response&gt;&lt;{Op}Result&gt;…&lt;/{Op}Result&gt;&lt;ResponseMetadata&gt;…</c>
/// and <c>&lt;ErrorResponse&gt;&lt;Error&gt;…</c>. Element names are matched without their namespace,
/// since emulators differ in the namespace they declare.</summary>
internal static class SnsXml
{
    public static (XElement Result, string? RequestId) ReadResult(AwsHttpResponse response, string operation)
    {
        var root = Load(response.Body)
            ?? throw new AmazonSimpleNotificationServiceException(
                $"SNS {operation} answered with a body that is not XML.", ErrorType.Unknown, "InvalidResponse",
                response.RequestId, response.StatusCode);
        var result = Child(root, operation + "Result") ?? new XElement(operation + "Result");
        var requestId = Value(Child(root, "ResponseMetadata"), "RequestId") ?? response.RequestId;
        return (result, requestId);
    }

    public static AmazonServiceException ParseError(AwsHttpResponse response)
    {
        var root = Load(response.Body);
        var error = root is null ? null : root.Name.LocalName == "Error" ? root : Child(root, "Error");
        var code = Value(error, "Code") ?? DefaultCode(response.StatusCode);
        var message = Value(error, "Message") ?? $"SNS answered {(int)response.StatusCode} {response.StatusCode}.";
        var type = Value(error, "Type") switch
        {
            "Sender" => ErrorType.Sender,
            "Receiver" => ErrorType.Receiver,
            _ => (int)response.StatusCode >= 500 ? ErrorType.Receiver : ErrorType.Unknown,
        };
        var requestId = Value(root, "RequestId") ?? response.RequestId;
        return new AmazonSimpleNotificationServiceException(message, type, code, requestId, response.StatusCode);
    }

    public static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Members(XElement? parent, string listName) =>
        Child(parent, listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    public static string? Value(XElement? parent, string localName) => Child(parent, localName)?.Value;

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "Throttled",
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Forbidden => "AuthorizationError",
        >= HttpStatusCode.InternalServerError => "InternalError",
        _ => status.ToString(),
    };

    private static XElement? Load(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(body), settings);
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
