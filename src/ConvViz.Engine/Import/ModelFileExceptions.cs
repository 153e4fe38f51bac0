using System;
using System.IO;

namespace ConvViz.Engine.Import;

/// <summary>A model file with no convolution: there are no feature maps for ConvViz to show.</summary>
public sealed class NoConvolutionException : NotSupportedException
{
    public NoConvolutionException(string file)
        : base($"'{file}' has no convolution: ConvViz visualises the units of convolutional layers, and this model has none.")
    {
        File = file;
    }

    public string File { get; }
}

/// <summary>A PyTorch file (state dict or checkpoint) given without the architecture it belongs to.</summary>
public sealed class ArchitectureRequiredException : ArgumentException
{
    /// <param name="fits">What the file's tensors fit (StateDict.NearestHint), or null.</param>
    /// <param name="advice">Replaces the closing advice, for callers other than Import-ConvModel.</param>
    public ArchitectureRequiredException(string file, string? fits, string? advice = null)
        : base($"'{file}' is a PyTorch file, not an ONNX model: a state dict holds only weights, so add -Architecture with the built-in architecture it belongs to"
               + (fits is null ? $" (one of {string.Join(", ", Models.BuiltInArchitectures.Names)})." : $" ({fits}).")
               + " " + (advice ?? "For another network, export it to ONNX (torch.onnx.export) and import the .onnx file."))
    {
        File = file;
    }

    public string File { get; }

    /// <summary>A torch.save archive or a safetensors file, by extension or by the zip signature ONNX files never start with.</summary>
    public static bool IsPyTorchFile(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".pth" or ".pt" or ".bin" or ".ckpt" or ".tar" or ".safetensors") return true;
        try
        {
            using var f = System.IO.File.OpenRead(path);
            var b = new byte[4];
            return f.Read(b, 0, 4) == 4 && b[0] == 0x50 && b[1] == 0x4B && b[2] == 0x03 && b[3] == 0x04;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
