using System.Globalization;

namespace PubSub.Benchmarks.Load;

/// <summary>CPU time and memory of a process and its descendants (an emulator runs under a supervisor
/// script, DynamoDB Local under java), read from /proc. Linux only, as the harness is.</summary>
internal sealed class ProcessTree(string name, int rootId)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public string Name { get; } = name;

    /// <summary>User and system CPU time used so far by the tree's living processes.</summary>
    public TimeSpan CpuTime() => TimeSpan.FromSeconds(Ids().Sum(CpuTicks) / ClockTicksPerSecond);

    /// <summary>The sum of the processes' peak resident set sizes (VmHWM) over their lifetime so far.</summary>
    public long PeakRss() => Ids().Sum(id => StatusValue(id, "VmHWM:"));

    public long Rss() => Ids().Sum(id => StatusValue(id, "VmRSS:"));

    private List<int> Ids()
    {
        var ids = new List<int>();
        var pending = new Stack<int>([rootId]);
        while (pending.TryPop(out var id))
        {
            if (!Directory.Exists($"/proc/{id}"))
            {
                continue;
            }

            ids.Add(id);
            foreach (var task in Directory.EnumerateDirectories($"/proc/{id}/task"))
            {
                var children = Path.Combine(task, "children");
                if (File.Exists(children))
                {
                    foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        pending.Push(int.Parse(child, CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return ids;
    }

    private static long CpuTicks(int id)
    {
        try
        {
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
            var stat = File.ReadAllText($"/proc/{id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // it exited meanwhile
        }
    }

    private static long StatusValue(int id, string field)
    {
        try
        {
            return File.ReadLines($"/proc/{id}/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
                .Select(l => long.Parse(l[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
