using PubSub.Ingestion.Apis;
using PubSub.Ingestion.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapEventsApi();
app.MapJwksApi();

app.Run();
