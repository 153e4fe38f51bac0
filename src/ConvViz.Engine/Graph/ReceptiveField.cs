using System;

namespace ConvViz.Engine.Graph;

/// <summary>
/// The input-pixel interval seen by one unit, along one axis: unit i covers
/// [Start + i*Jump, Start + i*Jump + Size). Start may be negative (padding).
/// </summary>
public readonly record struct AxisField(long Start, long Jump, long Size)
{
    public static AxisField Pixel => new(0, 1, 1);

    public AxisField Through(SpatialAxis step)
    {
        if (step.Kernel == 1 && step.Stride == 1 && step.PadBegin == 0) return this;
        return new AxisField(Start - step.PadBegin * Jump, Jump * step.Stride, Size + step.Dilation * (step.Kernel - 1) * Jump);
    }

    /// Union of two branches that meet (residual add, concat).
    public AxisField Union(AxisField other)
    {
        long start = Math.Min(Start, other.Start);
        long end = Math.Max(Start + Size, other.Start + other.Size);
        return new AxisField(start, Math.Max(Jump, other.Jump), end - start);
    }

    public (long Begin, long End) Span(long index) => (Start + index * Jump, Start + index * Jump + Size);
}

/// <summary>One spatial axis of an operation, for receptive-field arithmetic.</summary>
public readonly record struct SpatialAxis(long Kernel, long Stride, long PadBegin, long Dilation)
{
    public static SpatialAxis Pointwise => new(1, 1, 0, 1);
}

/// <summary>What an operation does to spatial geometry.</summary>
public readonly record struct SpatialStep(SpatialAxis Y, SpatialAxis X, bool Global)
{
    public static SpatialStep Pointwise => new(SpatialAxis.Pointwise, SpatialAxis.Pointwise, false);
    public static SpatialStep Everything => new(SpatialAxis.Pointwise, SpatialAxis.Pointwise, true);
    public static SpatialStep Window(long kh, long kw, long sh, long sw, long padTop, long padLeft, long dh = 1, long dw = 1)
        => new(new SpatialAxis(kh, sh, padTop, dh), new SpatialAxis(kw, sw, padLeft, dw), false);
}

/// <summary>
/// The receptive field of a feature map's units in model-input pixels, with the jump
/// (effective stride) and start offset. Global fields cover the whole input.
/// </summary>
public readonly record struct ReceptiveField(AxisField Y, AxisField X, bool Global)
{
    public static ReceptiveField Input => new(AxisField.Pixel, AxisField.Pixel, false);

    public ReceptiveField Through(SpatialStep step)
        => Global || step.Global ? this with { Global = true } : new ReceptiveField(Y.Through(step.Y), X.Through(step.X), false);

    public ReceptiveField Union(ReceptiveField other)
        => new(Y.Union(other.Y), X.Union(other.X), Global || other.Global);

    /// <summary>The box of unit (y, x), clipped to an input of the given size, as [y0,y1) x [x0,x1).</summary>
    public PixelBox BoxOf(long y, long x, long height, long width)
    {
        if (Global) return new PixelBox(0, 0, height, width);
        var (y0, y1) = Y.Span(y);
        var (x0, x1) = X.Span(x);
        y0 = Math.Clamp(y0, 0, height); y1 = Math.Clamp(y1, 0, height);
        x0 = Math.Clamp(x0, 0, width); x1 = Math.Clamp(x1, 0, width);
        return new PixelBox(y0, x0, y1, x1);
    }
}

/// <summary>A half-open pixel rectangle [Top,Bottom) x [Left,Right).</summary>
public readonly record struct PixelBox(long Top, long Left, long Bottom, long Right)
{
    public long Height => Bottom - Top;
    public long Width => Right - Left;
    public override string ToString() => $"[{Top}:{Bottom}, {Left}:{Right}]";
}
