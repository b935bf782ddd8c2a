using System.Xml.Linq;

namespace PubSub.UnitTests.Layering;

/// <summary>The solution's projects and the project references each declares, read from the
/// <c>.csproj</c> files (and the repository's props files they import) rather than from the compiled
/// assemblies, because a declared reference that no code uses yet still lets the next change use it.</summary>
internal sealed class ProjectGraph
{
    private readonly Dictionary<string, IReadOnlySet<string>> _references;
    private readonly Dictionary<string, IReadOnlySet<string>> _packages;

    private ProjectGraph(Dictionary<string, IReadOnlySet<string>> references, Dictionary<string, IReadOnlySet<string>> packages)
    {
        _references = references;
        _packages = packages;
    }

    /// <summary>The projects the solution file lists, by name.</summary>
    public IEnumerable<string> Projects => _references.Keys;

    public static ProjectGraph Load()
    {
        var root = RepositoryRoot();
        var references = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var packages = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var path in SolutionProjects(root))
        {
            var items = Items(path, root).ToList();
            var name = Path.GetFileNameWithoutExtension(path);
            references[name] = items.Where(i => i.Kind == "ProjectReference")
                .Select(i => Path.GetFileNameWithoutExtension(i.Include)).ToHashSet(StringComparer.Ordinal);
            packages[name] = items.Where(i => i.Kind == "PackageReference").Select(i => i.Include).ToHashSet(StringComparer.Ordinal);
        }

        return new ProjectGraph(references, packages);
    }

    /// <summary>The projects <paramref name="project"/> references itself.</summary>
    public IReadOnlySet<string> DirectReferences(string project) => _references[project];

    /// <summary>The packages <paramref name="project"/> references itself (not those it gets through a project).</summary>
    public IReadOnlySet<string> Packages(string project) => _packages[project];

    /// <summary>Every project <paramref name="project"/> builds on, through any chain of references.</summary>
    public IReadOnlySet<string> Reachable(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(_references[project]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var reference in _references[next])
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PubSub.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No PubSub.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The project paths in the solution file (<c>Project("{…}") = "Name", "Name\Name.csproj", "{…}"</c>).</summary>
    internal static IEnumerable<string> SolutionProjects(string root) =>
        File.ReadLines(Path.Combine(root, "PubSub.sln"))
            .Where(line => line.StartsWith("Project(", StringComparison.Ordinal))
            .Select(line => line.Split('"')[5])
            .Where(path => path.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(path => Path.Combine(root, path.Replace('\\', Path.DirectorySeparatorChar)));

    /// <summary>The file's items, with those of the repository files it imports (such as <c>eng/Lambda.props</c>).</summary>
    private static IEnumerable<(string Kind, string Include)> Items(string path, string root)
    {
        var document = XDocument.Load(path);
        foreach (var element in document.Descendants())
        {
            var include = element.Attribute("Include")?.Value;
            if (element.Name.LocalName is "ProjectReference" or "PackageReference" && include is not null)
            {
                yield return (element.Name.LocalName, Expand(include, root));
            }
            else if (element.Name.LocalName == "Import" && element.Attribute("Project")?.Value is { } imported
                     && imported.Contains("$(RepoRoot)", StringComparison.Ordinal))
            {
                foreach (var item in Items(Expand(imported, root), root))
                {
                    yield return item;
                }
            }
        }
    }

    private static string Expand(string value, string root) =>
        value.Replace("$(RepoRoot)", root + Path.DirectorySeparatorChar, StringComparison.Ordinal).Replace('\\', Path.DirectorySeparatorChar);
}
