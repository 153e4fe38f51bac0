using System.Collections.Generic;

namespace ConvViz.Engine.Import;

/// <summary>
/// Where a file's state dict was found: <paramref name="CheckpointKey"/> is the entry of a
/// checkpoint dict it came from (null for a bare state dict), <paramref name="OtherEntries"/>
/// the checkpoint's other entries (left aside), <paramref name="StrippedPrefix"/> what was
/// removed from the front of every name ("module." for DataParallel).
/// </summary>
public sealed record StateDictOrigin(string File, string? CheckpointKey, IReadOnlyList<string> OtherEntries, string? StrippedPrefix)
{
    /// <summary>One sentence per thing done beyond reading a bare state dict.</summary>
    public IEnumerable<string> Notes()
    {
        if (CheckpointKey is not null)
            yield return $"'{File}' is a checkpoint dict: using its '{CheckpointKey}' entry as the state dict"
                + (OtherEntries.Count > 0 ? $" and leaving aside {string.Join(", ", OtherEntries)}." : ".");
        if (StrippedPrefix is not null)
            yield return $"Every tensor name in '{File}' starts with '{StrippedPrefix}' (a DataParallel wrapper); stripped it.";
    }
}
