namespace ConvViz.Engine.TopK;

/// <summary>
/// The ranking order on the managed side, identical to <see cref="TopKStore"/>'s torch sorts:
/// value descending (NaN above everything, as torch's descending sort places it; -0 equals 0),
/// then sequence ascending, then position ascending.
/// </summary>
public static class TopKOrder
{
    public static int Compare((float Value, long Seq, long Pos) a, (float Value, long Seq, long Pos) b)
    {
        int byValue = CompareValueDescending(a.Value, b.Value);
        if (byValue != 0) return byValue;
        int bySeq = a.Seq.CompareTo(b.Seq);
        return bySeq != 0 ? bySeq : a.Pos.CompareTo(b.Pos);
    }

    public static int CompareValueDescending(float a, float b)
    {
        bool na = float.IsNaN(a), nb = float.IsNaN(b);
        if (na || nb) return na == nb ? 0 : na ? -1 : 1;
        return a > b ? -1 : a < b ? 1 : 0;
    }
}
