# Dot-sourced by every suite: where the module, the kit and the photos are.
$script:ModulePath = if ($env:CONVVIZ_MODULE) { $env:CONVVIZ_MODULE } else { Join-Path $PSScriptRoot '../out/ConvViz' }
$script:KitPath = Join-Path $PSScriptRoot '../out/testkit/ConvViz.TestKit.dll'
$script:PhotoPath = if ($env:CONVVIZ_PHOTOS) { $env:CONVVIZ_PHOTOS } else { Join-Path $PSScriptRoot '../out/photos' }

function Import-ConvVizModule { Import-Module (Join-Path $script:ModulePath 'ConvViz.psd1') -Force:$false -ErrorAction Stop }

# A fresh pwsh like the one running the tests (installed or as a dotnet tool).
function Get-PwshCommand {
    $exe = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $exe) { return , @($exe) }
    return , @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
}

# Runs a script block's text in a child pwsh and returns its output lines and exit code.
function Invoke-ChildPwsh([string] $Script) {
    $cmd = Get-PwshCommand
    $rest = @($cmd | Select-Object -Skip 1)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $output = & $cmd[0] @rest -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
    [pscustomobject]@{ Output = @($output | ForEach-Object ToString); ExitCode = $LASTEXITCODE }
}

# The test kit: independent references loaded into the engine's context.
function Get-TestKitType([string] $Name) {
    $assembly = [ConvViz.Commands.EngineHost]::LoadExtension((Resolve-Path $script:KitPath).Path)
    $assembly.GetType("ConvViz.TestKit.$Name", $true)
}

# Debian's python3 with PyTorch (python3-torch, installed by ./build.ps1 test), or $null. The
# python3 first on PATH may be another interpreter without torch, so the system one is asked.
function Get-TorchPython {
    foreach ($candidate in '/usr/bin/python3', 'python3') {
        $exe = Get-Command $candidate -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $exe) { continue }
        & $exe.Source -c 'import torch, torchvision' 2>$null
        if ($LASTEXITCODE -eq 0) { return $exe.Source }
    }
    return $null
}
