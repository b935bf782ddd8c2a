using PubSub.Functions;
using PubSub.WebhookDelivery.Lambda;

// Lambda starts this executable (as bootstrap) once per execution environment.
return await LambdaHost.RunAsync(WebhookDeliveryFunctionFactory.Handler, WebhookDeliveryFunctionFactory.Create);
