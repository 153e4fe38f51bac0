#Requires -Modules Pester
# A new user's first hour, run as they would run it: the package installs from a local
# repository into an empty module path; every help example runs as written from a folder
# that is not the repository, with no ConvViz variables set; tab completion offers the names
# of the model actually on the command line; the README's code blocks run verbatim.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:ModuleFull = (Resolve-Path $ModulePath).Path

    # A fresh pwsh in $WorkingDirectory, without any CONVVIZ_* variable, with $Environment added.
    function Invoke-CleanPwsh([string] $Script, [string] $WorkingDirectory, [hashtable] $Environment = @{}) {
        $cmd = Get-PwshCommand
        $info = [System.Diagnostics.ProcessStartInfo]::new($cmd[0])
        foreach ($a in @($cmd | Select-Object -Skip 1)) { $info.ArgumentList.Add($a) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))) {
            $info.ArgumentList.Add($a)
        }
        $info.WorkingDirectory = $WorkingDirectory
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        foreach ($name in @($info.Environment.Keys)) { if ($name -like 'CONVVIZ_*') { $null = $info.Environment.Remove($name) } }
        foreach ($k in $Environment.Keys) {
            if ($null -eq $Environment[$k]) { $null = $info.Environment.Remove($k) } else { $info.Environment[$k] = [string]$Environment[$k] }
        }
        $process = [System.Diagnostics.Process]::Start($info)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ Output = $stdout; Errors = $stderr.Result; ExitCode = $process.ExitCode }
    }
}

Describe 'The package' -Skip:$IsWindows {
    # Install-PSResource -Scope CurrentUser installs into ~/.local/share/powershell/Modules on
    # Linux and macOS, and PSResourceGet keeps its repository list under ~/.local/share too: a
    # child with its own HOME keeps both away from this user's real ones.
    It 'installs from a local repository into an empty module path and runs a command' {
        $feed = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'feed')
        $home_ = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'home')
        $isolated = @{ HOME = $home_.FullName; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
        $work = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'work')
        $pack = Invoke-CleanPwsh "& '$RepoRoot/build/New-ModulePackage.ps1' -ModulePath '$ModuleFull' -DestinationPath '$feed'" $work
        $pack.ExitCode | Should -Be 0 -Because "$($pack.Output) $($pack.Errors)"
        @(Get-ChildItem $feed -Filter 'ConvViz.*.nupkg').Count | Should -Be 1

        $modules = Join-Path $home_ '.local/share/powershell/Modules'
        $install = Invoke-CleanPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name ConvVizLocal -Uri '$feed' -Trusted
Install-PSResource -Name ConvViz -Repository ConvVizLocal -Scope CurrentUser -AcceptLicense
"@ $work $isolated
        $install.ExitCode | Should -Be 0 -Because "$($install.Output) $($install.Errors)"
        $installed = Get-ChildItem $modules -Directory | Select-Object -ExpandProperty Name
        $installed | Should -Be 'ConvViz'
        Get-ChildItem (Join-Path $modules 'ConvViz') -Recurse -Filter 'License.txt' | Should -Not -BeNullOrEmpty

        # Only the empty folder (and pwsh's own modules) on the module path: the import can come from nowhere else.
        $run = Invoke-CleanPwsh @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + (Join-Path `$PSHOME 'Modules')
Import-Module ConvViz
(Get-Module ConvViz).ModuleBase
Get-ConvLayer -Model zfnet -Layer conv1 | ForEach-Object { '{0} {1}' -f `$_.Name, `$_.ReceptiveField }
"@ $work $isolated
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $lines = @($run.Output -split "`r?`n" | Where-Object { $_ })
        $lines[0] | Should -BeLike "$modules*"
        $lines[1] | Should -Be 'conv1 7'
    }
}

Describe 'Help' {
    BeforeAll {
        # Every example of every cmdlet, as Get-Help shows it, in one fresh pwsh whose current
        # folder is empty and whose temporary folder is the test's: each runs in its own scope
        # with errors terminating, so a non-terminating error fails it too.
        $script:work = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'help-examples')
        $temp = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'help-temp')
        $run = Invoke-CleanPwsh @"
Import-Module '$ModuleFull'
# Examples that call Python need torch and torchvision in the python3 on PATH; elsewhere they are skipped (named in the output).
python3 -c 'import torch, torchvision' 2>`$null
`$havePython = `$LASTEXITCODE -eq 0
`$results = foreach (`$command in Get-Command -Module ConvViz -CommandType Cmdlet | Sort-Object Name) {
    `$i = 0
    foreach (`$example in (Get-Help `$command.Name -Examples).examples.example) {
        `$i++
        `$code = (@(`$example.code) -join [Environment]::NewLine)
        `$err = `$null
        if (-not `$havePython -and `$code -match 'python3') { [pscustomobject]@{ Command = `$command.Name; Index = `$i; Error = `$null; Skipped = `$true }; continue }
        try {
            `$ErrorActionPreference = 'Stop'
            `$null = & ([scriptblock]::Create(`$code)) | Out-String
        } catch { `$err = `$_.ToString() + ' ' + `$_.FullyQualifiedErrorId }
        `$ErrorActionPreference = 'Continue'
        [pscustomobject]@{ Command = `$command.Name; Index = `$i; Error = `$err; Skipped = `$false }
    }
}
`$results | ConvertTo-Json -Compress
"@ $work @{ TMPDIR = $temp.FullName; TEMP = $temp.FullName; TMP = $temp.FullName }
        $script:helpRun = $run
        $script:examples = if ($run.ExitCode -eq 0) { @($run.Output | ConvertFrom-Json) } else { @() }
    }

    It 'runs every help example as written, from an empty folder, with no ConvViz variables set' {
        $helpRun.ExitCode | Should -Be 0 -Because $helpRun.Errors
        $commands = @($examples.Command | Sort-Object -Unique)
        $commands.Count | Should -BeGreaterOrEqual 14
        $failed = @($examples | Where-Object Error | ForEach-Object { "$($_.Command) example $($_.Index): $($_.Error)" })
        $failed | Should -BeNullOrEmpty -Because ($failed -join [Environment]::NewLine)
        # Nothing was written into the current folder: outputs go to the temporary folder.
        @(Get-ChildItem $work -Force) | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion' {
    BeforeAll {
        # One fresh pwsh: completions as a user gets them at the prompt (TabExpansion2), then
        # which assemblies completion loaded. Names come from cached tables; building a model
        # would load TorchSharp.
        $script:work = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'completion')
        $run = Invoke-CleanPwsh @"
Import-Module '$ModuleFull'
function Complete([string] `$line) { @((TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText) }
`$r = [ordered]@{}
`$r.DefaultLayers = Complete 'Get-ConvLayer -Layer layer4.'
`$r.NamedLayers = Complete 'Get-TopActivations -Model alexnet -Layer feat'
`$r.PipedImport = Complete 'Import-ConvModel -Architecture zfnet | Get-ConvLayer -Layer conv'
`$r.Models = Complete 'Get-TopActivations -Model '
`$r.Devices = Complete 'Import-ConvModel -Device '
`$r.ExtractorClasses = Complete 'Measure-OcclusionSensitivity -Model resnet18 -Class tab'
`$r.ClassifierClasses = Complete 'Measure-OcclusionSensitivity -Model alexnet -Class tabby'
`$r.TorchLoadedBeforeModel = @([System.Runtime.Loader.AssemblyLoadContext]::All.Assemblies | Where-Object { `$_.GetName().Name -eq 'TorchSharp' }).Count -gt 0
`$m = Import-ConvModel -Architecture alexnet
`$r.PipedVariable = Complete '`$m | Get-ConvLayer -Layer '
`$r.BoundVariable = Complete 'Get-FeatureMap -Model `$m -Layer '
`$r.AlexNetNames = @(Get-ConvLayer -Model `$m | ForEach-Object Name)
`$r.AlexNetAliases = @(Get-ConvLayer -Model `$m | ForEach-Object { `$_.Aliases })
`$r | ConvertTo-Json -Depth 4 -Compress
"@ $work
        $script:completion = $run
        $script:c = if ($run.ExitCode -eq 0) { $run.Output | ConvertFrom-Json } else { $null }
    }

    It 'ran' {
        $completion.ExitCode | Should -Be 0 -Because $completion.Errors
    }
    It 'offers the layers of the model piped in, not the default model''s' {
        # ConvViz's layer names first, then torchvision's module names (features.N) the model also accepts.
        $c.PipedVariable | Should -Be $c.BoundVariable
        @($c.PipedVariable)[0..($c.AlexNetNames.Count - 1)] | Should -Be $c.AlexNetNames
        $c.PipedVariable | Should -Not -Contain 'layer4'
    }
    It 'offers the layers of a built-in model named or imported upstream' {
        $c.NamedLayers | Should -Not -BeNullOrEmpty
        # Typed "feat", torchvision's module names (features.N) come back, as the live model lists them.
        $c.NamedLayers | ForEach-Object { $_ | Should -BeIn $c.PipedVariable }
        $c.NamedLayers | Should -Contain 'features.0'
        $c.PipedImport | Should -Contain 'conv1'
        $c.PipedImport | Should -Contain 'conv5'
        $c.DefaultLayers | Should -Contain 'layer4.0.conv1'
    }
    It 'completes names without building a model (TorchSharp not loaded)' {
        $c.TorchLoadedBeforeModel | Should -BeFalse
    }
    It 'offers the built-in model names, only the devices this build has, and class names for classifiers only' {
        foreach ($name in 'resnet18', 'zfnet', 'alexnet', 'vgg16') { $c.Models | Should -Contain $name }
        $c.Devices | Should -Contain 'cpu'
        $hasCuda = @(Get-ChildItem (Join-Path $ModuleFull 'Dependencies') -Filter '*torch_cuda*').Count -gt 0
        if (-not $hasCuda) { $c.Devices | Should -Not -Contain 'cuda' }
        $c.ExtractorClasses | Should -BeNullOrEmpty
        $c.ClassifierClasses | Should -Contain 'tabby'
    }
}

Describe 'Output conventions' {
    BeforeAll {
        Import-ConvVizModule
        $script:samples = Join-Path $ModuleFull 'Samples'
    }

    It 'refuses wildcard characters in an output path instead of writing a file named f*.png' {
        $dir = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'wild')
        { Export-FilterGrid -Model zfnet -Path (Join-Path $dir 'f*.png') } | Should -Throw -ErrorId 'InvalidOutputPath,*'
        @(Get-ChildItem -LiteralPath $dir -Force) | Should -BeNullOrEmpty
        # Escaped, the characters are literal.
        Export-FilterGrid -Model zfnet -Path (Join-Path $dir 'f`[1`].png')
        Test-Path -LiteralPath (Join-Path $dir 'f[1].png') | Should -BeTrue
    }

    It '-NoClobber keeps an existing file; -Force creates a missing folder' {
        $file = Join-Path $TestDrive 'keep.png'
        Set-Content -LiteralPath $file -Value 'mine'
        { Export-FilterGrid -Model zfnet -Path $file -NoClobber } | Should -Throw -ErrorId 'OutputExists,*'
        Get-Content -LiteralPath $file | Should -Be 'mine'

        $nested = Join-Path $TestDrive 'new/folder/filters.png'
        { Export-FilterGrid -Model zfnet -Path $nested } | Should -Throw -ErrorId 'OutputNotWritable,*'
        Export-FilterGrid -Model zfnet -Path $nested -Force
        $nested | Should -Exist
    }

    It 'every cmdlet that writes a file has -NoClobber, -Force and -WhatIf' {
        foreach ($name in 'Export-PatchGrid', 'Export-FilterGrid', 'Export-HeatMap', 'Export-ConvVizReport', 'Merge-TopActivations',
            'Measure-OcclusionSensitivity', 'Measure-Invariance', 'Get-FeatureMap') {
            $parameters = (Get-Command $name).Parameters
            foreach ($p in 'NoClobber', 'Force', 'WhatIf') { $parameters.ContainsKey($p) | Should -BeTrue -Because "$name -$p" }
        }
    }

    It 'Get-TopActivations -StatePath -WhatIf scans nothing and writes nothing' {
        $state = Join-Path $TestDrive 'whatif/state.json'
        New-Item -ItemType Directory -Force (Split-Path $state) | Out-Null
        $records = @(Get-TopActivations -Path $samples -Model zfnet -Layer conv1 -Unit 0 -Top 2 -StatePath $state -WhatIf)
        $records | Should -BeNullOrEmpty
        $state | Should -Not -Exist
        @(Get-ChildItem (Split-Path $state) -Force) | Should -BeNullOrEmpty
    }

    It 'has the singular alias Get-TopActivation' {
        (Get-Alias Get-TopActivation).ResolvedCommand.Name | Should -Be 'Get-TopActivations'
    }
}

Describe 'README' {
    # Every ```powershell block of README.md runs verbatim in a fresh pwsh from the repository
    # root, as a new user pastes it after the demo (which fetches out/photos). A block preceded
    # by "<!-- readme-test: skip" is not run (builds, installs into the user's module path).
    BeforeDiscovery {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../README.md')
        $pattern = '(?ms)(?<marker><!--\s*readme-test:\s*skip[^>]*-->\s*\r?\n)?^```(?<lang>[A-Za-z0-9]*)\r?\n(?<code>.*?)^```'
        $script:blocks = @([regex]::Matches($readme, $pattern) | ForEach-Object {
                @{ Lang = $_.Groups['lang'].Value; Code = $_.Groups['code'].Value; Skip = $_.Groups['marker'].Success
                    Title = ($_.Groups['code'].Value -split "`n")[0].Trim() }
            })
        $script:runnable = @($blocks | Where-Object { -not $_.Skip -and $_.Lang -in 'powershell', 'pwsh', 'ps1' })
    }
    BeforeAll {
        $script:photos = Join-Path $RepoRoot 'out/photos'
    }

    It 'has PowerShell blocks to run' {
        $runnable.Count | Should -BeGreaterThan 0
    }

    It 'runs: <Title>' -ForEach $runnable {
        if (-not (Test-Path (Join-Path $photos '*'))) { Set-ItResult -Skipped -Because 'out/photos (fetched by the demo and the test task) is missing' }
        $before = @(Get-ChildItem (Join-Path $RepoRoot 'out') -File | ForEach-Object FullName)
        try {
            $run = Invoke-CleanPwsh ("`$ErrorActionPreference = 'Stop'`n" + $Code) $RepoRoot
            $run.ExitCode | Should -Be 0 -Because "$($run.Output) $($run.Errors)"
            # Redirected, pwsh writes progress to stderr as CLIXML; only error records count.
            $errors = if ($run.Errors -like '#< CLIXML*') { ([regex]::Matches($run.Errors, '(?is)<(S|Obj) S="error".*?</(S|Obj)>') | ForEach-Object Value) -join "`n" } else { $run.Errors.Trim() }
            $errors | Should -BeNullOrEmpty
            # A sheet the block promises is there.
            foreach ($m in [regex]::Matches($Code, 'Export-PatchGrid -Path (\S+)')) { Join-Path $RepoRoot $m.Groups[1].Value | Should -Exist }
        } finally {
            # Files the block wrote into out/ (the README's sheet) are removed again.
            Get-ChildItem (Join-Path $RepoRoot 'out') -File | Where-Object FullName -notin $before | Remove-Item
        }
    }

    It 'has -Include patterns that match every photo extension of out/photos' {
        $extensions = @(Get-ChildItem $photos -File -Recurse | ForEach-Object { $_.Extension.ToLowerInvariant() } | Sort-Object -Unique)
        $code = ($runnable | Where-Object { $_.Code -match 'Export-PatchGrid' } | Select-Object -First 1).Code
        $code | Should -Not -BeNullOrEmpty
        foreach ($e in $extensions) { $code | Should -Match ([regex]::Escape("*$e")) -Because "the README's -Include must match the demo's $e photos" }
    }
}
