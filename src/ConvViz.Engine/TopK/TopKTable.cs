namespace ConvViz.Engine.TopK;

/// <summary>
/// The running top-k of one tap as managed arrays, rank-major: entry (rank r, unit column u)
/// is at r * UnitCount + u. Rows is how many ranks are filled (fewer than k until k
/// candidates have been seen). Positions are y * Width + x of the tap's feature map.
/// </summary>
public sealed record TopKTable(int Rows, int UnitCount, float[] Values, long[] Sequences, long[] Positions)
{
    public static TopKTable Empty(int units) => new(0, units, new float[0], new long[0], new long[0]);
}
