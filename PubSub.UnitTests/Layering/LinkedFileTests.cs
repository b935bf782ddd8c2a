using System.Xml.Linq;

namespace PubSub.UnitTests.Layering;

/// <summary>A project compiles only the files in its own folder. A linked file
/// (<c>&lt;Compile Include="..\Other\File.cs" /&gt;</c>) is compiled into the assembly itself and adds no
/// reference, so neither the project references (<see cref="ProjectLayeringTests"/>) nor the assembly
/// references (<see cref="AssemblyLayeringTests"/>) can see a layer reached that way.</summary>
public sealed class LinkedFileTests
{
    [Fact]
    public void No_project_compiles_a_file_from_outside_its_own_folder()
    {
        var root = ProjectGraph.RepositoryRoot();
        var linked = ProjectGraph.SolutionProjects(root).SelectMany(project => LinkedFiles(project, root)).ToList();

        Assert.Empty(linked);
    }

    /// <summary>The <c>Compile</c> items of <paramref name="project"/>, of the repository files it imports and
    /// of the Directory.Build files MSBuild imports into it, that resolve outside the project's folder or
    /// carry a <c>Link</c>.</summary>
    internal static IEnumerable<string> LinkedFiles(string project, string root)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(project))!;
        string[] directoryBuild = ["Directory.Build.props", "Directory.Build.targets"];
        var files = new List<string> { project };
        files.AddRange(directoryBuild.Select(name => Path.Combine(root, name)).Where(File.Exists));
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var document = XDocument.Load(file);
            foreach (var element in document.Descendants())
            {
                var name = element.Name.LocalName;
                if (name == "Import" && element.Attribute("Project")?.Value is { } imported
                    && imported.Contains("$(RepoRoot)", StringComparison.Ordinal)
                    && Expand(imported, root, file, folder) is var path && File.Exists(path) && !files.Contains(path))
                {
                    files.Add(path);
                }
                else if (name == "Compile")
                {
                    var include = element.Attribute("Include")?.Value ?? element.Attribute("Update")?.Value;
                    var hasLink = element.Attribute("Link") is not null || element.Elements().Any(e => e.Name.LocalName == "Link");
                    var outside = include is not null && include.Split(';').Any(part =>
                        !Path.GetFullPath(Expand(part.Trim(), root, file, folder), folder)
                            .StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal));
                    if (outside || hasLink)
                    {
                        yield return $"{Path.GetRelativePath(root, project)} compiles {include} (declared in {Path.GetRelativePath(root, file)})";
                    }
                }
            }
        }
    }

    private static string Expand(string value, string root, string file, string projectFolder) =>
        value.Replace("$(RepoRoot)", root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            .Replace("$(MSBuildThisFileDirectory)", Path.GetDirectoryName(file) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            .Replace("$(MSBuildProjectDirectory)", projectFolder, StringComparison.Ordinal)
            .Replace('\\', Path.DirectorySeparatorChar);
}
