namespace ConvViz.Engine.Analysis;

/// <summary>How far an analysis is: <see cref="Done"/> of <see cref="Total"/> images evaluated (occluded or transformed copies).</summary>
public readonly record struct AnalysisProgress(string Activity, int Done, int Total);
