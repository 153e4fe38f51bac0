# ConvViz against the PyTorch script a competent user would write (issue 15), dot-sourced by
# Invoke-Benchmarks.ps1, whose parameters and $Timings it uses. Same weights (one seeded
# torchvision resnet18 .pth, imported by ConvViz with -Architecture resnet18), same JPEG files,
# same batch size, the 20 Conv2d taps (4,800 units), top-9. Contenders alternate within every
# repetition (ConvViz first in odd repetitions, the peer first in even ones); medians and the
# median of per-repetition ratios are reported.

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { return ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' }
    return 'n/a'
}

function Get-PeerPython {
    foreach ($candidate in '/usr/bin/python3', 'python3') {
        $exe = Get-Command $candidate -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $exe) { continue }
        & $exe.Source -c 'import torch, torchvision, PIL' 2>$null
        if ($LASTEXITCODE -eq 0) { return $exe.Source }
    }
    return $null
}

# Runs peer_scan.py and returns its RESULT object.
function Invoke-Peer([string[]] $Arguments) {
    $lines = & $script:PeerPython (Join-Path $PSScriptRoot 'peer_scan.py') @Arguments 2>&1 | ForEach-Object ToString
    $line = $lines | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0 -or -not $line) { throw "peer_scan.py $($Arguments -join ' ') failed:`n$($lines -join "`n")" }
    $line.Substring(7) | ConvertFrom-Json
}

function Initialize-PeerData {
    New-Item -ItemType Directory -Force $DataPath | Out-Null
    $data = (Resolve-Path $DataPath).Path
    $weights = Join-Path $data 'resnet18.pth'
    if (-not (Test-Path $weights)) { $null = Invoke-Peer @('weights', '--output', $weights, '--seed', '0') }
    $sets = @(
        @{ Name = 'photos500'; Count = 320; Width = 500; Height = 375; Seed = 0 }
        @{ Name = 'camera'; Count = 64; Width = 4000; Height = 3000; Seed = 1 }
    )
    foreach ($set in $sets) {
        $folder = Join-Path $data $set.Name
        if (@(Get-ChildItem -LiteralPath $folder -Filter *.jpg -ErrorAction Ignore).Count -ge $set.Count) { continue }
        if (-not (Test-Path $PhotoPath)) { throw "No photographs at $PhotoPath to make the benchmark JPEGs from (./build.ps1 bench fetches the demo photos)." }
        Write-Host "  making $($set.Count) JPEGs of $($set.Width)x$($set.Height) in $folder"
        $null = Invoke-Peer @('photos', '--source', $PhotoPath, '--output', $folder, '--count', "$($set.Count)",
            '--width', "$($set.Width)", '--height', "$($set.Height)", '--seed', "$($set.Seed)")
    }
    [pscustomobject]@{ Weights = $weights; Photos = Join-Path $data 'photos500'; Camera = Join-Path $data 'camera' }
}

function Invoke-PeerBenchmark {
    $script:PeerPython = Get-PeerPython
    if (-not $script:PeerPython) {
        Write-Warning 'No python3 with torch, torchvision and Pillow (Debian: python3-torch python3-torchvision python3-pil): the peer comparison is skipped.'
        return [pscustomobject]@{ Rows = @(); Markdown = @('Peer comparison skipped: no python3 with torch, torchvision and Pillow.'); Result = $null }
    }
    $versions = & $script:PeerPython -c 'import torch, torchvision; print(torch.__version__, torchvision.__version__, torch.get_num_threads())'
    Write-Host "Peer: PyTorch script (torch/torchvision/threads $versions) against ConvViz, resnet18, batch $BatchSize" -ForegroundColor Cyan
    # Where torch's default intra-op count is below the cores (Debian's torch 1.13 runs 1 thread on this
    # 2-core machine), the peer also runs tuned, with torch.set_num_threads(cores): reported beside it.
    $cores = [Environment]::ProcessorCount
    $tuned = [int](("$versions" -split ' ')[-1]) -lt $cores
    $data = Initialize-PeerData
    $model = Import-ConvModel -Path $data.Weights -Architecture resnet18 -Device cpu
    $engine = $model.GetEngine()
    $layers = @('conv1') + @(foreach ($s in 1..4) { foreach ($b in 0, 1) { "layer$s.$b.conv1"; "layer$s.$b.conv2" } }) + @(foreach ($s in 2..4) { "layer$s.0.downsample" })
    $photos = @(Get-ChildItem -LiteralPath $data.Photos -Filter *.jpg | Sort-Object Name | Select-Object -First $PeerImageCount | ForEach-Object FullName)
    $camera = @(Get-ChildItem -LiteralPath $data.Camera -Filter *.jpg | Sort-Object Name | Select-Object -First $CameraImageCount | ForEach-Object FullName)

    # The peer's DataLoader worker count: the fastest of 0, 1, 2 on this machine.
    $calibration = Invoke-Peer @('calibrate', '--weights', $data.Weights, '--folder', $data.Photos, '--count', "$([math]::Min(64, $photos.Count))", '--batch', "$BatchSize")
    $workers = [int]$calibration.fastestWorkers
    Write-Host ("  peer DataLoader workers 0/1/2: {0:F1} / {1:F1} / {2:F1} s on {3} images -> {4} workers" -f $calibration.secondsByWorkers.'0', $calibration.secondsByWorkers.'1', $calibration.secondsByWorkers.'2', $calibration.images, $workers)
    # Camera JPEGs are decode-bound: their fastest worker count is its own.
    $cameraCalibration = Invoke-Peer @('calibrate', '--weights', $data.Weights, '--folder', $data.Camera, '--count', "$([math]::Min(16, $camera.Count))", '--batch', "$BatchSize")
    $cameraWorkers = [int]$cameraCalibration.fastestWorkers
    Write-Host ("  peer DataLoader workers 0/1/2 on camera JPEGs: {0:F1} / {1:F1} / {2:F1} s on {3} images -> {4} workers" -f $cameraCalibration.secondsByWorkers.'0', $cameraCalibration.secondsByWorkers.'1', $cameraCalibration.secondsByWorkers.'2', $cameraCalibration.images, $cameraWorkers)

    # Warm-up (first-use costs of either contender must not land in a timed run).
    $null = Get-TopActivations -LiteralPath $photos[0..($BatchSize - 1)] -Model $model -Layer $layers -Top 9 -BatchSize $BatchSize
    $null = $Timings::BareForward($engine, [string[]]$photos[0..($BatchSize - 1)], $BatchSize)

    $cases = @(
        @{ Key = 'scan'; Files = $photos; Folder = $data.Photos; Count = $photos.Count; Peer = 'scan'; Workers = $workers }
        @{ Key = 'forward'; Files = $photos; Folder = $data.Photos; Count = $photos.Count; Peer = 'forward'; Workers = $workers }
        @{ Key = 'camera'; Files = $camera; Folder = $data.Camera; Count = $camera.Count; Peer = 'scan'; Workers = $cameraWorkers }
    )
    $runs = foreach ($r in 1..$Repetitions) {
        foreach ($case in $cases) {
            $t = @{}
            $order = @(if ($r % 2) { 'convviz', 'peer', 'tuned' } else { 'tuned', 'peer', 'convviz' }) | Where-Object { $_ -ne 'tuned' -or $tuned }
            foreach ($who in $order) {
                if ($who -in 'peer', 'tuned') {
                    $threads = if ($who -eq 'tuned') { @('--threads', "$cores") } else { @() }
                    $p = Invoke-Peer (@($case.Peer, '--weights', $data.Weights, '--folder', $case.Folder, '--count', "$($case.Count)", '--batch', "$BatchSize", '--workers', "$($case.Workers)") + $threads)
                    $t[$who] = [double]$p.seconds
                }
                elseif ($case.Key -eq 'forward') {
                    $t.convviz = $Timings::BareForward($engine, [string[]]$case.Files, $BatchSize)
                }
                else {
                    $t.convviz = Measure-Seconds { Get-TopActivations -LiteralPath $case.Files -Model $model -Layer $layers -Top 9 -BatchSize $BatchSize }
                }
            }
            $row = [pscustomobject]@{
                Repetition = $r; Case = $case.Key; Images = $case.Count
                ConvVizImagesPerSecond = $case.Count / $t.convviz; PeerImagesPerSecond = $case.Count / $t.peer; Ratio = $t.peer / $t.convviz
                TunedImagesPerSecond = if ($tuned) { $case.Count / $t.tuned } else { $null }; TunedRatio = if ($tuned) { $t.tuned / $t.convviz } else { $null }
            }
            Write-Host ("  rep {0} {1,-8}: ConvViz {2,6:F2} img/s, PyTorch {3,6:F2} img/s, ratio {4:F2}{5}" -f $r, $case.Key, $row.ConvVizImagesPerSecond, $row.PeerImagesPerSecond, $row.Ratio,
                $(if ($tuned) { '; PyTorch at {0} threads {1,6:F2} img/s, ratio {2:F2}' -f $cores, $row.TunedImagesPerSecond, $row.TunedRatio }))
            $row
        }
    }

    # Projections: 9 x units records of layer3 (Deconvnet) against the peer's autograd batches.
    $units = if ($Quick) { 8 } else { $PeerProjectionUnits }
    $records = @(Get-TopActivations -LiteralPath $photos -Model $model -Layer layer3 -Unit (0..($units - 1)) -Top 9 -BatchSize $BatchSize)
    $null = $records[0..([math]::Min(8, $records.Count) - 1)] | Invoke-Deconvolution -Model $model -Method Deconvnet
    $projectionRuns = foreach ($r in 1..([math]::Max(1, [math]::Min(2, $Repetitions)))) {
        $order = @(if ($r % 2) { 'convviz', 'peer', 'tuned' } else { 'tuned', 'peer', 'convviz' }) | Where-Object { $_ -ne 'tuned' -or $tuned }
        $t = @{}
        foreach ($who in $order) {
            if ($who -in 'peer', 'tuned') {
                $threads = if ($who -eq 'tuned') { @('--threads', "$cores") } else { @() }
                $p = Invoke-Peer (@('project', '--weights', $data.Weights, '--folder', $data.Photos, '--count', "$($photos.Count)", '--batch', "$BatchSize", '--layer', 'layer3', '--units', "$units") + $threads)
                $t[$who] = $p.projectionsPerSecond
            }
            else { $t.convviz = $records.Count / (Measure-Seconds { $records | Invoke-Deconvolution -Model $model -Method Deconvnet }) }
        }
        Write-Host ("  rep {0} project : ConvViz {1:F2} /s, PyTorch {2:F2} /s ({3} records){4}" -f $r, $t.convviz, $t.peer, $records.Count, $(if ($tuned) { "; PyTorch at $cores threads {0:F2} /s" -f $t.tuned }))
        [pscustomobject]@{ Repetition = $r; ConvVizPerSecond = $t.convviz; PeerPerSecond = $t.peer; Ratio = $t.convviz / $t.peer
            TunedPerSecond = if ($tuned) { $t.tuned } else { $null }; TunedRatio = if ($tuned) { $t.convviz / $t.tuned } else { $null } }
    }

    $summary = [ordered]@{}
    foreach ($case in $cases) {
        $g = @($runs | Where-Object Case -EQ $case.Key)
        $summary[$case.Key] = [ordered]@{
            images = $case.Count; convVizImagesPerSecond = Get-Median $g.ConvVizImagesPerSecond; peerImagesPerSecond = Get-Median $g.PeerImagesPerSecond
            ratio = Get-Median $g.Ratio
            tunedImagesPerSecond = if ($tuned) { Get-Median $g.TunedImagesPerSecond } else { $null }; tunedRatio = if ($tuned) { Get-Median $g.TunedRatio } else { $null }
        }
    }
    $summary['project'] = [ordered]@{ records = $records.Count; convVizPerSecond = Get-Median $projectionRuns.ConvVizPerSecond; peerPerSecond = Get-Median $projectionRuns.PeerPerSecond; ratio = Get-Median $projectionRuns.Ratio
        tunedPerSecond = if ($tuned) { Get-Median $projectionRuns.TunedPerSecond } else { $null }; tunedRatio = if ($tuned) { Get-Median $projectionRuns.TunedRatio } else { $null } }
    $targets = @{ scan = '>= 1.5'; camera = '>= 3'; forward = '>= 1' }
    $labels = @{
        scan = "Scan, 20 conv taps x all units, top-9, $($summary.scan.images) JPEGs ~500x375"
        forward = "Bare forward (decode + fit + forward), $($summary.forward.images) JPEGs ~500x375"
        camera = "Scan, 20 conv taps, $($summary.camera.images) camera JPEGs 4000x3000"
    }
    $rows = foreach ($k in 'scan', 'forward', 'camera') {
        $v = $summary[$k]
        [pscustomobject]@{ Measure = "$($labels[$k]): ConvViz / PyTorch img/s"; Value = '{0:F2} / {1:F2}' -f $v.convVizImagesPerSecond, $v.peerImagesPerSecond; Target = '' }
        [pscustomobject]@{ Measure = "$($labels[$k]): ratio ConvViz / PyTorch (median of per-rep)"; Value = '{0:F2}' -f $v.ratio; Target = $targets[$k] }
        if ($tuned) { [pscustomobject]@{ Measure = "$($labels[$k]): ratio ConvViz / PyTorch at $cores threads (tuned)"; Value = '{0:F2} ({1:F2} img/s)' -f $v.tunedRatio, $v.tunedImagesPerSecond; Target = '' } }
    }
    $v = $summary.project
    $rows += [pscustomobject]@{ Measure = "Deconvnet projections, $($v.records) records of layer3: ConvViz / PyTorch autograd per s"; Value = '{0:F2} / {1:F2}' -f $v.convVizPerSecond, $v.peerPerSecond; Target = '' }
    $rows += [pscustomobject]@{ Measure = 'Projections: ratio ConvViz / PyTorch'; Value = '{0:F2}' -f $v.ratio; Target = '>= 4' }
    if ($tuned) { $rows += [pscustomobject]@{ Measure = "Projections: ratio ConvViz / PyTorch at $cores threads (tuned)"; Value = '{0:F2} ({1:F2} /s)' -f $v.tunedRatio, $v.tunedPerSecond; Target = '' } }

    # The first line in parentheses: the comma binds tighter than +, which glued the table to it.
    $md = @(("Peer: torch/torchvision/threads $versions, DataLoader workers $workers (fastest of 0/1/2: " +
        ('{0:F1} / {1:F1} / {2:F1} s' -f $calibration.secondsByWorkers.'0', $calibration.secondsByWorkers.'1', $calibration.secondsByWorkers.'2') + "); camera JPEGs: $cameraWorkers (" +
        ('{0:F1} / {1:F1} / {2:F1} s' -f $cameraCalibration.secondsByWorkers.'0', $cameraCalibration.secondsByWorkers.'1', $cameraCalibration.secondsByWorkers.'2') + "), batch $BatchSize."), '',
        "| Rep | Case | Images | ConvViz img/s | PyTorch img/s | Ratio | PyTorch at $cores threads img/s | Ratio |", '|---|---|---|---|---|---|---|---|')
    $md += $runs | ForEach-Object { '| {0} | {1} | {2} | {3:F2} | {4:F2} | {5:F2} | {6:F2} | {7:F2} |' -f $_.Repetition, $_.Case, $_.Images, $_.ConvVizImagesPerSecond, $_.PeerImagesPerSecond, $_.Ratio, $_.TunedImagesPerSecond, $_.TunedRatio }
    [pscustomobject]@{
        Rows = @($rows); Markdown = $md
        Result = [ordered]@{ versions = "$versions"; workers = $workers; calibration = $calibration; cameraWorkers = $cameraWorkers; cameraCalibration = $cameraCalibration; summary = $summary; runs = @($runs); projection = @($projectionRuns) }
    }
}
