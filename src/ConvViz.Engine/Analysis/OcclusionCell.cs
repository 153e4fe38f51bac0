using ConvViz.Engine.Graph;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// One position of the occluder. <see cref="CellBox"/> is the part of the model input the
/// map value stands for (the cells tile the input exactly); <see cref="OccluderBox"/> is the
/// square that was filled, centred on the cell and clipped to the input. The Original* boxes
/// are the same areas in the original image's pixels (null without a geometry).
/// </summary>
public sealed record OcclusionCell(int Row, int Col, PixelBox CellBox, PixelBox OccluderBox,
    PixelBox? OriginalCellBox, PixelBox? OriginalOccluderBox);
