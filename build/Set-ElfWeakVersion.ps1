<#
.SYNOPSIS
    Marks one symbol-version requirement of an ELF shared library as weak.
.DESCRIPTION
    libLibTorchSharp.so (TorchSharp 0.107) was linked against GCC 13's libstdc++ and records
    a version need on GLIBCXX_3.4.32. Debian 12 ships libstdc++ up to GLIBCXX_3.4.30, so the
    dynamic loader refuses to load the library even though the only symbol bound to that
    version, std::ios_base_library_init, is a marker that nothing relocates against.
    Setting VER_FLG_WEAK on that one Vernaux entry turns the missing version into a loader
    warning, and the library loads and runs. The build applies this to the module's own copy
    of the library, never to the NuGet cache.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $LiteralPath,
    [string] $Version = 'GLIBCXX_3.4.32'
)
$ErrorActionPreference = 'Stop'
$bytes = [System.IO.File]::ReadAllBytes($LiteralPath)
if ($bytes.Length -lt 64 -or $bytes[0] -ne 0x7f -or $bytes[1] -ne 0x45 -or $bytes[4] -ne 2 -or $bytes[5] -ne 1) {
    throw "'$LiteralPath' is not a 64-bit little-endian ELF file."
}
$u16 = { param($o) [BitConverter]::ToUInt16($bytes, $o) }
$u32 = { param($o) [BitConverter]::ToUInt32($bytes, $o) }
$u64 = { param($o) [BitConverter]::ToUInt64($bytes, $o) }

$shoff = & $u64 0x28; $shentsize = & $u16 0x3A; $shnum = & $u16 0x3C
$sections = for ($i = 0; $i -lt $shnum; $i++) {
    $h = [int64]$shoff + $i * $shentsize
    [pscustomobject]@{ Type = & $u32 ($h + 4); Offset = & $u64 ($h + 0x18); Link = & $u32 ($h + 0x28); Info = & $u32 ($h + 0x2C) }
}
$SHT_GNU_verneed = 0x6ffffffe
$verneed = $sections | Where-Object Type -eq $SHT_GNU_verneed | Select-Object -First 1
if (-not $verneed) { throw "'$LiteralPath' has no .gnu.version_r section." }
$strtab = [int64]$sections[$verneed.Link].Offset
$readName = {
    param($o)
    $start = $strtab + $o; $end = $start
    while ($bytes[$end] -ne 0) { $end++ }
    [System.Text.Encoding]::ASCII.GetString($bytes, $start, $end - $start)
}

$VER_FLG_WEAK = 0x2
$changed = 0
$need = [int64]$verneed.Offset
for ($n = 0; $n -lt $verneed.Info; $n++) {
    $count = & $u16 ($need + 2); $aux = $need + (& $u32 ($need + 8))
    for ($a = 0; $a -lt $count; $a++) {
        if ((& $readName (& $u32 ($aux + 8))) -eq $Version) {
            $flags = & $u16 ($aux + 4)
            if (($flags -band $VER_FLG_WEAK) -eq 0) {
                [BitConverter]::GetBytes([uint16]($flags -bor $VER_FLG_WEAK)).CopyTo($bytes, $aux + 4)
                $changed++
            }
        }
        $aux += & $u32 ($aux + 12)
    }
    $need += & $u32 ($need + 12)
}
if ($changed -gt 0 -and $PSCmdlet.ShouldProcess($LiteralPath, "Mark $Version as a weak version need")) {
    [System.IO.File]::WriteAllBytes($LiteralPath, $bytes)
}
Write-Verbose "$LiteralPath`: $changed entr$(if ($changed -eq 1) {'y'} else {'ies'}) for $Version marked weak."
