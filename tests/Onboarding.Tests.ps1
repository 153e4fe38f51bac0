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
