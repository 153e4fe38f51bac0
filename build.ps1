#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, benchmarks and demonstrates the ConvViz module.
.DESCRIPTION
    build  Builds the importable module into out/ConvViz (the default task).
    test   Builds, then runs the Pester suites in tests/ and prints "N passed, N failed".
    demo   Builds, then runs examples/Invoke-Demo.ps1 on real photographs and writes a report.
    bench  Builds, then runs the benchmarks in tests/Benchmarks and prints medians and ratios.
    package  Builds, then writes the module as a PowerShell resource package (.nupkg) into
           out/packages/<runtime>/, ready for Install-PSResource from a local repository.
    clean  Removes out/.

    The module for this machine's runtime is built into out/ConvViz; -Runtime <other> builds
    into out/<runtime>/ConvViz, so a Windows build never replaces the Linux module.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 test
.EXAMPLE
    dotnet pwsh ./build.ps1 demo -ImagePath ~/Pictures
.EXAMPLE
    dotnet pwsh ./build.ps1 package -Runtime win-x64
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'bench', 'package', 'clean')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The runtime the module is built for; defaults to this machine's.
    [ValidateSet('linux-x64', 'win-x64')]
    [string] $Runtime,

    # demo: a folder of photos to use instead of the bundled demo set.
    [string] $ImagePath,

    # test: run only these test files (paths or names under tests/).
    [string[]] $TestPath,

    # demo/bench: where outputs go.
    [string] $OutputPath,

    # bench: small sizes for a smoke run (not for quoting).
    [switch] $Quick,

    # bench: which part runs (tests/Benchmarks/Invoke-Benchmarks.ps1 -Section): All, Peer, Engine, State, Stream, FeatureVisualization.
    [ValidateSet('All', 'Peer', 'Engine', 'State', 'Stream', 'FeatureVisualization')]
    [string] $Section = 'All',

    # bench: images of the state-writing overhead measurement (default there: 20,000).
    [int] $StateImageCount
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$HostRuntime = if ($IsWindows) { 'win-x64' } else { 'linux-x64' }
if (-not $Runtime) { $Runtime = $HostRuntime }
# This machine's module in out/ConvViz (what tests, demo and bench import); another runtime's beside it.
$ModuleOut = if ($Runtime -eq $HostRuntime) { Join-Path $Out 'ConvViz' } else { Join-Path $Out "$Runtime/ConvViz" }

# Libraries in the libtorch packages that nothing ConvViz runs ever loads.
$UnusedNatives = @('libtorch_python.so', 'libshm.so', 'libjitbackend_test.so', 'libtorchbind_test.so',
    'libbackend_with_compiler.so', 'libaoti_custom_ops.so', 'libnnapi_backend.so',
    'torch_python.dll', 'shm.dll', 'jitbackend_test.dll', 'torchbind_test.dll', 'backend_with_compiler.dll',
    'aoti_custom_ops.dll', 'nnapi_backend.dll')

function Invoke-Dotnet {
    # A simple function (no param block) so arguments like -o pass through untouched.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-NuGetRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

# The command line that starts a fresh pwsh like the one running this script.
function Get-PwshCommand {
    $exe = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $exe) { return , @($exe) }
    return , @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
}

function Invoke-Pwsh {
    param([string] $File, [string[]] $Arguments = @())
    $cmd = Get-PwshCommand
    $rest = @($cmd | Select-Object -Skip 1)
    & $cmd[0] @rest -NoProfile -NonInteractive -File $File @Arguments | Out-Host
    return $LASTEXITCODE
}

function Restore-Tools {
    Invoke-Dotnet restore (Join-Path $Root 'build/tools.proj') --verbosity quiet
}

function Build-Module {
    Write-Host "Building ConvViz ($Configuration, $Runtime) into $ModuleOut"
    Restore-Tools
    $staging = Join-Path $Out "obj/$Runtime"
    Remove-Item $staging -Recurse -Force -ErrorAction Ignore
    # The engine and every dependency, natives flat beside TorchSharp.dll: pwsh ignores .deps.json.
    Invoke-Dotnet publish (Join-Path $Root 'src/ConvViz.Engine') -c $Configuration -r $Runtime --no-self-contained -o "$staging/engine" --nologo -v quiet
    Invoke-Dotnet build (Join-Path $Root 'src/ConvViz.Commands') -c $Configuration -o "$staging/commands" --nologo -v quiet

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'Dependencies')
    Get-ChildItem "$staging/engine" -File |
        Where-Object { $_.Name -notin $UnusedNatives -and $_.Extension -notin '.json' } |
        Copy-Item -Destination $deps
    Copy-Item "$staging/commands/ConvViz.Commands.dll", "$staging/commands/ConvViz.Commands.pdb" -Destination $ModuleOut

    $libTorchSharp = Join-Path $deps 'libLibTorchSharp.so'
    if (Test-Path $libTorchSharp) {
        # Debian 12's libstdc++ lacks GLIBCXX_3.4.32, which this library names but never uses; see DEVELOPERS.md.
        & (Join-Path $Root 'build/Set-ElfWeakVersion.ps1') -LiteralPath $libTorchSharp -Version 'GLIBCXX_3.4.32'
    }

    Copy-Item (Join-Path $Root 'module/*') -Destination $ModuleOut -Recurse -Exclude 'help'
    # Terms travel with the module: PSResourceGet wants License.txt at the root when the
    # manifest sets RequireLicenseAcceptance (the bundled model's package requires it).
    Copy-Item (Join-Path $Root 'LICENSE') (Join-Path $ModuleOut 'License.txt')
    Copy-Item (Join-Path $Root 'THIRD-PARTY-NOTICES.txt') -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'licenses') -Destination $ModuleOut -Recurse
    Copy-Item (Join-Path $Root 'docs') -Destination $ModuleOut -Recurse
    $models = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'models')
    $featurizer = Join-Path (Get-NuGetRoot) 'microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels'
    Copy-Item "$featurizer/ResNet18Onnx/ResNet18.onnx", "$featurizer/ResNetPrepOnnx/ResNetPreprocess.onnx" -Destination $models

    $code = Invoke-Pwsh (Join-Path $Root 'build/New-ModuleHelp.ps1') @('-ModulePath', $ModuleOut, '-HelpSource', (Join-Path $Root 'module/help'))
    if ($code -ne 0) { throw "Help generation failed." }
    # Layer names of the built-in models for tab completion, so completing never builds a model.
    # They need a model built, so only this machine's runtime can make them; the names are the
    # same for every runtime, so another runtime's module takes this machine's table.
    # Building every architecture takes minutes, so the table is cached under the hash of the
    # engine and the cmdlets (deterministic builds: the same sources give the same bytes).
    if ($Runtime -eq $HostRuntime) {
        $key = (Get-FileHash -Algorithm SHA256 -InputStream ([IO.MemoryStream]::new([byte[]]((Get-FileHash (Join-Path $deps 'ConvViz.Engine.dll'), (Join-Path $ModuleOut 'ConvViz.Commands.dll')).Hash -join '' | ForEach-Object { [Text.Encoding]::ASCII.GetBytes($_) })))).Hash.Substring(0, 16)
        $cached = Join-Path $Out "obj/layers-$key.json"
        if (Test-Path $cached) { Copy-Item $cached (Join-Path $models 'layers.json') }
        else {
            $code = Invoke-Pwsh (Join-Path $Root 'build/New-LayerTable.ps1') @('-ModulePath', $ModuleOut)
            if ($code -ne 0) { throw "Layer table generation failed." }
            Get-ChildItem (Join-Path $Out 'obj') -Filter 'layers-*.json' | Remove-Item
            Copy-Item (Join-Path $models 'layers.json') $cached
        }
    } elseif (Test-Path (Join-Path $Out 'ConvViz/models/layers.json')) {
        Copy-Item (Join-Path $Out 'ConvViz/models/layers.json') -Destination $models
    } else {
        Write-Warning "No out/ConvViz/models/layers.json to copy: build this machine's module first, or -Layer completion of built-in names is empty in the $Runtime module."
    }
    if ($Runtime -eq $HostRuntime) {
        Build-TestKit
        Copy-Pwsh
    }
    $size = (Get-ChildItem $ModuleOut -Recurse -File | Measure-Object Length -Sum).Sum
    Write-Host ("Module: {0} ({1:N0} MB)" -f $ModuleOut, ($size / 1MB))
}

# Scheduled jobs need a pwsh that stays put. When this pwsh is the dotnet tool (its files live in
# the NuGet cache, which a cache clean or tool update removes), copy it to out/pwsh once, to be
# run as "dotnet out/pwsh/pwsh.dll" (examples/Register-NightlyScan.ps1 prints that line).
function Copy-Pwsh {
    $nugetCache = Get-NuGetRoot
    if (-not $PSHOME.StartsWith($nugetCache, [StringComparison]::Ordinal) -or -not (Test-Path (Join-Path $PSHOME 'pwsh.dll'))) { return }
    $target = Join-Path $Out 'pwsh'
    $stamp = Join-Path $target 'convviz-source.txt'
    if ((Test-Path $stamp) -and (Get-Content -Raw $stamp).Trim() -eq $PSHOME) { return }
    Remove-Item $target -Recurse -Force -ErrorAction Ignore
    Copy-Item $PSHOME $target -Recurse
    Set-Content $stamp $PSHOME
    Write-Host "pwsh for scheduled jobs: $target (run as: dotnet $target/pwsh.dll)"
}

# Independent references for the tests (ONNX Runtime, brute force), loaded into the engine's context.
function Build-TestKit {
    $project = Join-Path $Root 'tests/ConvViz.TestKit/ConvViz.TestKit.csproj'
    if (-not (Test-Path $project)) { return }
    $kitOut = Join-Path $Out 'testkit'
    Remove-Item $kitOut -Recurse -Force -ErrorAction Ignore
    Invoke-Dotnet publish $project -c $Configuration -r $Runtime --no-self-contained -o $kitOut --nologo -v quiet
    # The kit shares the module's engine and torch; only its own extras stay.
    Get-ChildItem $kitOut -File | Where-Object { Test-Path (Join-Path $ModuleOut "Dependencies/$($_.Name)") } | Remove-Item
}

# Real photographs for the demo and the tests: Debian's python3-skimage carries a set.
function Install-DemoPhotos {
    $photos = Join-Path $Out 'photos'
    if (Test-Path (Join-Path $photos 'motorcycle_left.png')) { return $photos }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) {
        throw "The bundled demo photos come from Debian's python3-skimage; on this system pass -ImagePath <folder of photos>."
    }
    $cache = (New-Item -ItemType Directory -Force (Join-Path $Out 'cache')).FullName
    Push-Location $cache
    try {
        # Tool output goes to the host: this function returns only the folder.
        & apt-get download python3-skimage 2>$null | Out-Host
        if ($LASTEXITCODE -ne 0) {
            & apt-get update -qq | Out-Host
            & apt-get download python3-skimage | Out-Host
            if ($LASTEXITCODE -ne 0) { throw 'apt-get download python3-skimage failed.' }
        }
        $deb = Get-ChildItem 'python3-skimage_*.deb' | Select-Object -First 1
        & dpkg-deb -x $deb.FullName (Join-Path $cache 'skimage') | Out-Host
    } finally { Pop-Location }
    $data = Join-Path $cache 'skimage/usr/lib/python3/dist-packages/skimage/data'
    New-Item -ItemType Directory -Force $photos | Out-Null
    # The photographs (the rest of the package's data is microscopy, synthetic or tiny test images) (the rest are microscopy, synthetic or grey test images).
    foreach ($name in 'astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'motorcycle_right.png',
        'rocket.jpg', 'hubble_deep_field.jpg', 'retina.jpg', 'immunohistochemistry.png', 'logo.png', 'color.png',
        'camera.png', 'coins.png', 'moon.png', 'horse.png', 'brick.png', 'grass.png', 'gravel.png', 'text.png', 'page.png') {
        $file = Join-Path $data $name
        if (Test-Path $file) { Copy-Item $file $photos }
    }
    return $photos
}

# The demo's dataset: the skimage photographs plus Debian's tuxpaint-stamps-default, about 800
# PNG pictures (mostly cut-out photographs) in folders by category; the letters, digits, coins,
# notes, chess pieces and shapes under symbols/ are left out, which leaves about 555 pictures
# of animals, birds, food, plants, vehicles, buildings, tools and clothes. Enough for a top-9
# to mean something (at least 20 x 9 images), small enough to scan in a few minutes.
function Install-DemoDataset {
    $dataset = Join-Path $Out 'dataset'
    $photos = Install-DemoPhotos
    if (-not (Test-Path (Join-Path $dataset 'stamps/animals'))) {
        if (-not (Get-Command apt-get -ErrorAction Ignore)) {
            throw "The demo dataset comes from Debian's tuxpaint-stamps-default; on this system pass -ImagePath <folder of photos>."
        }
        $cache = (New-Item -ItemType Directory -Force (Join-Path $Out 'cache')).FullName
        Push-Location $cache
        try {
            & apt-get download tuxpaint-stamps-default 2>$null | Out-Host
            if ($LASTEXITCODE -ne 0) {
                & apt-get update -qq | Out-Host
                & apt-get download tuxpaint-stamps-default | Out-Host
                if ($LASTEXITCODE -ne 0) { throw 'apt-get download tuxpaint-stamps-default failed.' }
            }
            $deb = Get-ChildItem 'tuxpaint-stamps-default_*.deb' | Select-Object -First 1
            & dpkg-deb -x $deb.FullName (Join-Path $cache 'tuxpaint') | Out-Host
        } finally { Pop-Location }
        $stamps = Join-Path $cache 'tuxpaint/usr/share/tuxpaint/stamps'
        $target = New-Item -ItemType Directory -Force (Join-Path $dataset 'stamps')
        foreach ($category in Get-ChildItem $stamps -Directory | Where-Object Name -ne 'symbols') {
            Copy-Item $category.FullName -Destination $target -Recurse -Force
        }
        # Only the pictures: the package also holds sounds and descriptions beside them.
        Get-ChildItem $target -Recurse -File | Where-Object Extension -ne '.png' | Remove-Item
    }
    $skimage = New-Item -ItemType Directory -Force (Join-Path $dataset 'photos')
    Copy-Item (Join-Path $photos '*') -Destination $skimage -Force
    return $dataset
}

# Debian packages the test suites use as independent references or real peers. Each suite
# that needs one skips with a stated reason when it is missing; CI (root on Debian) installs them.
$TestPackages = @(
    'chromium'              # headless browser: the report test opens the HTML report
    'python3-torch'         # PyTorch (/usr/bin/python3): reference logits, autograd, ONNX exports
    'python3-torchvision'   # torchvision's model definitions and transforms
    'python3-pil'           # Pillow: an independent image decoder
    'python3-onnx'          # onnx: metadata_props on exported files (OnnxModels.Tests.ps1)
    'slurm-wlm'             # a real single-node Slurm: the job-array example runs through sbatch
    'munge'                 # Slurm's authentication daemon
)

function Install-TestPackages {
    if (-not (Get-Command apt-get -ErrorAction Ignore) -or -not (Get-Command dpkg-query -ErrorAction Ignore)) { return }
    $missing = @($TestPackages | Where-Object { (& dpkg-query -W -f '${Status}' $_ 2>$null) -notlike '*ok installed*' })
    if ($missing.Count -eq 0) { return }
    $isRoot = -not $IsWindows -and ((& id -u) -eq '0')
    if (-not $isRoot) { Write-Warning "Not installed, and this user cannot install them: $($missing -join ', '). The tests that need them will be skipped."; return }
    Write-Host "Installing test packages: $($missing -join ', ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    # Another apt run may hold the lock for a while; wait for it rather than fail.
    & apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends @missing *> $null
    if ($LASTEXITCODE -ne 0) {
        & apt-get -o DPkg::Lock::Timeout=600 update -qq *> $null
        & apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends @missing *> $null
    }
    if ($LASTEXITCODE -ne 0) { Write-Warning "apt-get could not install $($missing -join ', '); the tests that need them will be skipped." }
}

function Invoke-Tests {
    Build-Module
    $env:CONVVIZ_PHOTOS = Install-DemoPhotos
    Install-TestPackages
    $pester = Join-Path (Get-NuGetRoot) 'pester/5.7.1/tools/Pester.psd1'
    $arguments = @('-PesterPath', $pester, '-ModulePath', $ModuleOut)
    if ($TestPath) { $arguments += @('-TestPath', ($TestPath -join ',')) }
    $code = Invoke-Pwsh (Join-Path $Root 'tests/Invoke-Tests.ps1') $arguments
    exit $code
}

function Invoke-Demo {
    Build-Module
    $photos = if ($ImagePath) { $ImagePath } else { Install-DemoDataset }
    $target = if ($OutputPath) { $OutputPath } else { Join-Path $Out 'demo' }
    $code = Invoke-Pwsh (Join-Path $Root 'examples/Invoke-Demo.ps1') @('-ModulePath', $ModuleOut, '-ImagePath', $photos, '-OutputPath', $target)
    exit $code
}

function Invoke-Bench {
    Build-Module
    $target = if ($OutputPath) { $OutputPath } else { Join-Path $Out 'bench' }
    # The PyTorch peer's JPEG sets are made from the demo photographs.
    $photos = Install-DemoPhotos
    $arguments = @('-ModulePath', $ModuleOut, '-OutputPath', $target, '-PhotoPath', $photos)
    if ($Quick) { $arguments += '-Quick' }
    $arguments += @('-Section', $Section)
    if ($StateImageCount) { $arguments += @('-StateImageCount', "$StateImageCount") }
    $code = Invoke-Pwsh (Join-Path $Root 'tests/Benchmarks/Invoke-Benchmarks.ps1') $arguments
    exit $code
}

# One package per runtime, each in its own folder: both are called ConvViz with the same version.
function Invoke-Package {
    Build-Module
    $target = if ($OutputPath) { $OutputPath } else { Join-Path $Out "packages/$Runtime" }
    Remove-Item $target -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force $target | Out-Null
    $code = Invoke-Pwsh (Join-Path $Root 'build/New-ModulePackage.ps1') @('-ModulePath', $ModuleOut, '-DestinationPath', $target)
    if ($code -ne 0) { throw "Packaging failed." }
}

switch ($Task) {
    'build' { Build-Module }
    'test' { Invoke-Tests }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'package' { Invoke-Package }
    'clean' { Remove-Item $Out -Recurse -Force -ErrorAction Ignore; Write-Host "Removed $Out" }
}
