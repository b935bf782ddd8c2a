using PubSub.Functions;
using PubSub.StreamPublisher.Lambda;

// Lambda starts this executable (as bootstrap) once per execution environment.
return await LambdaHost.RunAsync(StreamPublisherFunctionFactory.Handler, StreamPublisherFunctionFactory.Create);
