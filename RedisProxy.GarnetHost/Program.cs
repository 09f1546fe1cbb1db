using Garnet;

// A Redis-compatible backend that needs nothing but the .NET SDK: the AppHost runs it where no
// container engine answers. Arguments are Garnet's own (the AppHost passes --port and --bind).
using var server = new GarnetServer(args);
server.Start();

var stopped = new TaskCompletionSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
Console.WriteLine($"Garnet is listening ({string.Join(' ', args)})");
await stopped.Task;
