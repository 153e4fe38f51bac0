using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using ConvViz.Engine.Models;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// What every ConvViz cmdlet shares: cancellation on Ctrl+C, and turning engine exceptions
/// into error records with a stable ErrorId and the right category.
/// </summary>
public abstract class ConvVizCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    protected override void BeginProcessing() => Engine.Runtime.NativeEnvironment.EnsureInitialized();

    protected override void EndProcessing() => _stop.Dispose();

    /// <summary>An error record for an engine failure, with its category inferred from the exception.</summary>
    protected static ErrorRecord ErrorFor(Exception e, string errorId, object? target)
    {
        var record = new ErrorRecord(e, errorId, CategoryOf(e), target);
        // .NET appends " (Parameter 'options')" and "Actual value was ..." to argument exceptions:
        // the user sees the message alone (the exception itself is kept for scripts).
        var clean = CleanMessage(e);
        if (clean != e.Message) record.ErrorDetails = new ErrorDetails(clean);
        return record;
    }

    internal static string CleanMessage(Exception e)
    {
        if (e is not ArgumentException a || a.ParamName is null) return e.Message;
        var message = e.Message;
        int cut = message.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        var suffix = $" (Parameter '{a.ParamName}')";
        if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        cut = message.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return message;
    }

    /// <summary>True under -WhatIf (or $WhatIfPreference): nothing may be written, not even a probe.</summary>
    protected bool WhatIfRequested
        => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
            ? LanguagePrimitives.IsTrue(w)
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    protected void Fail(Exception e, string errorId, object? target) => ThrowTerminatingError(ErrorFor(e, errorId, target));

    protected void Fail(string message, string errorId, ErrorCategory category, object? target)
        => ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, category, target));

    internal static ErrorCategory CategoryOf(Exception e) => e switch
    {
        LayerNotFoundException => ErrorCategory.ObjectNotFound,
        FileNotFoundException or DirectoryNotFoundException => ErrorCategory.ObjectNotFound,
        UnauthorizedAccessException => ErrorCategory.PermissionDenied,
        InvalidDataException or Engine.TopK.ScanStateException => ErrorCategory.InvalidData,
        NotSupportedException or NotImplementedException => ErrorCategory.NotImplemented,
        OperationCanceledException => ErrorCategory.OperationStopped,
        ArgumentOutOfRangeException => ErrorCategory.InvalidArgument,
        ArgumentException => ErrorCategory.InvalidArgument,
        OutOfMemoryException or InsufficientMemoryException => ErrorCategory.ResourceUnavailable,
        IOException => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>
    /// Resolves an output file and checks, before any work, that it can be written (and, for a
    /// sheet, that its extension names a format): a terminating error otherwise.
    /// </summary>
    protected string WritableOutput(string path, bool image)
    {
        try
        {
            var target = OutputPath(path);
            if (image) Hosting.GridEntries.EnsureImageExtension(target);
            if (!WhatIfRequested) Hosting.StateFiles.EnsureWritable(target);
            return target;
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, OutputErrorId(e, e is UnauthorizedAccessException or DirectoryNotFoundException or IOException ? "OutputNotWritable" : "InvalidOutputPath"), path);
            throw;
        }
    }

    /// <summary>-NoClobber of the cmdlets that write files (ConvVizWriterCmdlet); false elsewhere.</summary>
    protected virtual bool NoClobberOutput => false;

    /// <summary>-Force of the cmdlets that write files: create a missing folder, replace a read-only file.</summary>
    protected virtual bool ForceOutput => false;

    /// <summary>
    /// The one place an output path is resolved. Output paths are literal: wildcard characters
    /// would otherwise end up in a file name ("f*.png"), so they are refused unless escaped
    /// with a backtick. -NoClobber refuses an existing file; -Force creates the folder.
    /// </summary>
    protected string OutputPath(string path)
    {
        if (WildcardPattern.ContainsWildcardCharacters(path))
            throw new ArgumentException($"Output path '{path}' contains wildcard characters (*, ?, [ or ]); output paths are literal. Use a name without them, or escape them with a backtick (`[).");
        var target = GetUnresolvedProviderPathFromPSPath(WildcardPattern.Unescape(path));
        if (NoClobberOutput && (File.Exists(target) || Directory.Exists(target)))
            throw new OutputExistsException($"Output '{target}' already exists and -NoClobber is set; choose another path or drop -NoClobber.");
        if (ForceOutput)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(target));
            if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
            {
                WriteVerbose($"Creating folder '{dir}' (-Force).");
                Directory.CreateDirectory(dir);
            }
            if (File.Exists(target) && File.GetAttributes(target).HasFlag(FileAttributes.ReadOnly))
                File.SetAttributes(target, File.GetAttributes(target) & ~FileAttributes.ReadOnly);
        }
        return target;
    }

    /// <summary>"OutputExists" for -NoClobber refusals, <paramref name="fallback"/> for any other output error.</summary>
    protected static string OutputErrorId(Exception e, string fallback) => e is OutputExistsException ? "OutputExists" : fallback;

    /// <summary>Writes a file the cmdlet produced as the FileSystem provider's item (for -PassThru).</summary>
    protected void WriteFileItem(string path)
    {
        foreach (var item in SessionState.InvokeProvider.Item.Get(new[] { path }, force: true, literalPath: true)) WriteObject(item);
    }

    /// <summary>The -Model given, or the default model (terminating error "ModelUnavailable" when it cannot be loaded).</summary>
    protected Model ModelOrDefault(Model? model)
    {
        if (model is not null) return model;
        try { return Hosting.ModelCatalog.Get(Hosting.ModelCatalog.DefaultName); }
        catch (Exception e) { Fail(e, "ModelUnavailable", Hosting.ModelCatalog.DefaultName); throw; }
    }

    /// <summary>Write-Progress for an analysis step; the same id per cmdlet call.</summary>
    protected void Progress(int id, string activity, string status, int done, int total)
    {
        var record = new ProgressRecord(id, activity, status) { PercentComplete = total <= 0 ? 0 : (int)(100L * done / total) };
        if (done >= total) record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
    }

    /// <summary>
    /// An output path for one of several inputs: "{0}" in <paramref name="pattern"/> becomes
    /// the input's file name without extension, so one pipeline can write one file per image.
    /// </summary>
    protected string OutputPathFor(string pattern, string inputPath)
        => OutputPath(pattern.Contains("{0}", StringComparison.Ordinal)
            ? pattern.Replace("{0}", WildcardPattern.Escape(Path.GetFileNameWithoutExtension(inputPath)), StringComparison.Ordinal)
            : pattern);

    /// <summary>Resolves -Path (wildcards) or -LiteralPath to provider paths of existing items.</summary>
    protected IEnumerable<string> ResolvePaths(string[]? paths, bool literal)
    {
        if (paths is null) yield break;
        foreach (var p in paths)
        {
            if (literal)
            {
                yield return GetUnresolvedProviderPathFromPSPath(p);
                continue;
            }
            System.Collections.ObjectModel.Collection<string> resolved;
            try { resolved = GetResolvedProviderPathFromPSPath(p, out _); }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, p));
                continue;
            }
            foreach (var r in resolved) yield return r;
        }
    }
}

/// <summary>An output file exists and -NoClobber forbids replacing it (ErrorId OutputExists).</summary>
public sealed class OutputExistsException : IOException
{
    public OutputExistsException(string message) : base(message) { }
}

/// <summary>The cmdlets that write files: -NoClobber and -Force, applied by <see cref="ConvVizCmdlet.OutputPath"/>.</summary>
public abstract class ConvVizWriterCmdlet : ConvVizCmdlet
{
    /// <summary>Refuse to replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Create the output's folder when it is missing, and replace a read-only file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool NoClobberOutput => NoClobber;

    protected override bool ForceOutput => Force;
}
