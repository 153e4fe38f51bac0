using System;

namespace ConvViz.Engine.Grid;

/// <summary>
/// A C x H x W block of floats in row-major (channel, row, column) order: a reconstruction
/// (C = 3, RGB), a single map (C = 1) or a stack of activation maps. Plain managed data so
/// that drawing code never needs TorchSharp.
/// </summary>
public sealed record FloatPlanes
{
    public float[] Data { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    public FloatPlanes(float[] data, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(channels), $"Planes need positive dimensions, got {channels} x {height} x {width}.");
        if ((long)channels * height * width != data.Length)
            throw new ArgumentException($"Planes of {channels} x {height} x {width} need {(long)channels * height * width} values, got {data.Length}.", nameof(data));
        Data = data; Channels = channels; Height = height; Width = width;
    }

    /// <summary>A 3 x H x W RGB reconstruction.</summary>
    public static FloatPlanes Rgb(float[] data, int height, int width) => new(data, 3, height, width);

    /// <summary>A single H x W map.</summary>
    public static FloatPlanes Map(float[] data, int height, int width) => new(data, 1, height, width);

    public int PlaneSize => Height * Width;

    /// <summary>One channel as a span over <see cref="Data"/>, without copying.</summary>
    public ReadOnlySpan<float> Plane(int channel)
    {
        if ((uint)channel >= (uint)Channels) throw new ArgumentOutOfRangeException(nameof(channel));
        return new ReadOnlySpan<float>(Data, channel * PlaneSize, PlaneSize);
    }
}
