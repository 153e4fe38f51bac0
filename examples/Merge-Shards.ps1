<#
.SYNOPSIS
    Merges the state files of a sharded Get-TopActivations scan and writes the HTML report.
.DESCRIPTION
    The merge step of examples/Submit-SlurmScan.sh (or any scan split with -Shard i/n). Checks
    that every shard's state file is there, merges them with Merge-TopActivations into
    -OutputStatePath (exactly the top-k a single scan over all the images would give), and,
    with -ReportPath, writes the HTML report with Export-ConvVizReport, which projects every
    record with the deconvnet. Exits 1 when a shard is missing or the merge fails, so a
    scheduler marks the job failed.
.PARAMETER StateFolder
    Where the shard states are (shard1.json ... shardN.json).
.PARAMETER ShardCount
    How many shards to expect; 0 merges whatever shard*.json files are there.
.EXAMPLE
    pwsh -File examples/Merge-Shards.ps1 -StateFolder state -ShardCount 8 -OutputStatePath state/merged.json -ReportPath report/index.html
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $StateFolder,
    [int] $ShardCount = 0,
    [string] $OutputStatePath = (Join-Path $StateFolder 'merged.json'),
    [string] $ReportPath,
    [string] $Title = 'ConvViz scan',
    # The model the shards were scanned with (a built-in name or a model file); the report projects through it.
    [string] $Model = 'resnet18',
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz')
)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
try {
    $manifest = if (Test-Path (Join-Path $ModulePath 'ConvViz.psd1')) { Join-Path $ModulePath 'ConvViz.psd1' } else { 'ConvViz' }
    Import-Module $manifest -Verbose:$false
    $states = if ($ShardCount -gt 0) {
        $expected = 1..$ShardCount | ForEach-Object { Join-Path $StateFolder "shard$_.json" }
        $missing = @($expected | Where-Object { -not (Test-Path -LiteralPath $_) })
        if ($missing) { throw "Missing shard states: $($missing -join ', ')." }
        $expected
    } else {
        @(Get-ChildItem -LiteralPath $StateFolder -Filter 'shard*.json' | ForEach-Object FullName)
    }
    if (-not $states) { throw "No shard states in $StateFolder." }
    $records = @(Merge-TopActivations -StatePath $states -OutputStatePath $OutputStatePath)
    Write-Information -InformationAction Continue "Merged $($states.Count) shards into $OutputStatePath ($($records.Count) records)."
    if ($ReportPath) {
        $dir = Split-Path -Parent $ReportPath
        if ($dir) { New-Item -ItemType Directory -Force $dir | Out-Null }
        Export-ConvVizReport -StatePath $OutputStatePath -Model $Model -Path $ReportPath -Title $Title
        Write-Information -InformationAction Continue "Wrote $ReportPath."
    }
}
catch {
    [Console]::Error.WriteLine("FAILED $(($_.FullyQualifiedErrorId -split ',')[0]): $($_.Exception.Message)")
    exit 1
}
