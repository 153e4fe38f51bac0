using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.TopK;

namespace ConvViz.Commands.Hosting;

/// <summary>Engine top-k entries as pipeline records.</summary>
internal static class ActivationRecords
{
    /// <param name="scan">The scan's size, time, end and k, for reports (null when unknown).</param>
    public static IEnumerable<Activation> From(IEnumerable<TopActivation> entries, ModelIdentity identity, string stage, Model? model,
        (int Images, System.TimeSpan? Time, System.DateTimeOffset? At, int K)? scan = null)
    {
        return entries.Select(a => new Activation
        {
            ModelName = identity.Name,
            ModelSource = identity.Source,
            WeightsSha256 = identity.WeightsSha256,
            Layer = a.Layer,
            Stage = stage,
            Unit = a.Unit,
            Rank = a.Rank,
            Value = a.Value,
            ImagePath = a.ImagePath,
            Position = new FeaturePosition(a.Y, a.X),
            PatchBox = PatchBox.From(a.ImageBox),
            InputBox = PatchBox.From(a.InputBox),
            ContentHash = a.ContentHash,
            Model = model,
            ScannedImages = scan?.Images ?? 0,
            ScanTime = scan?.Time,
            ScannedAt = scan?.At,
            TopK = scan?.K ?? 0,
        });
    }
}
