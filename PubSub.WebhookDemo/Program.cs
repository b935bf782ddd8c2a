using PubSub.WebhookDemo.Apis;
using PubSub.WebhookDemo.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebhookDemo();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapWebhookApi();

app.Run();
