using System;

namespace ConvViz.Engine.Models;

/// <summary>A declared input convention that cannot be used (wrong channel count, std not positive, pixel range not 1 or 255).</summary>
public sealed class InputConventionException : ArgumentException
{
    public InputConventionException(string message) : base(message) { }
}
