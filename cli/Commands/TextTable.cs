namespace Faas.Cli.Commands;

/// <summary>Columns as Go's tabwriter lays them out with padding 1: each as wide as its longest cell plus one space.</summary>
public static class TextTable
{
    public static void Write(TextWriter writer, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(i => rows.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 1));
            writer.WriteLine(string.Concat(cells).TrimEnd());
        }
    }
}
