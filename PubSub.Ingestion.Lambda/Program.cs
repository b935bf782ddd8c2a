using PubSub.Functions;
using PubSub.Ingestion.Lambda;

// Lambda starts this executable (as bootstrap) once per execution environment.
return await LambdaHost.RunAsync(IngestionFunctionFactory.Handler, IngestionFunctionFactory.Create);
