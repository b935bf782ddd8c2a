using System.CommandLine;
using PubSub.Cli;
using PubSub.Cli.Commands;
using Spectre.Console;

ConsoleWidth.Apply(AnsiConsole.Console, Console.IsOutputRedirected);

var root = new RootCommand("pubsub: provision, operate and test the pub-sub eventing system.")
{
    ProvisionCommand.Create(),
    ScanCommand.Create(),
    RoutesCommand.Create(),
    DlqCommand.Create(),
    PublishersCommand.Create(),
    EventsCommand.Create(),
    TopicsCommand.Create(),
    SendCommand.Create(),
    SubscriptionsCommand.Create(),
    WebhooksCommand.Create(),
    CfnCommand.Create(),
    CostCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
