<#
.SYNOPSIS
    Writes the module's MAML help (en-US/ConvViz.Commands.dll-Help.xml).
.DESCRIPTION
    The prose (synopsis, description, parameter text, examples, notes) lives in one data file
    per cmdlet under module/help; the syntax, parameter types, positions and pipeline input
    come from the built cmdlets themselves, so help never drifts from the code.
    Default values come from the help file's Defaults table (for defaults decided at run time,
    such as the default model) or else from the cmdlet itself: the value a parameter property
    holds in a new instance of the cmdlet. Type names are the ones users type ([int], not
    Nullable`1). Every module/help/about_*.help.txt is copied to en-US.
    Fails when a cmdlet has no help file, no example, or an undocumented parameter.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $HelpSource
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = Import-Module (Join-Path (Resolve-Path $ModulePath) 'ConvViz.psd1') -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$problems = [System.Collections.Generic.List[string]]::new()

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$target = New-Item -ItemType Directory -Force (Join-Path $ModulePath 'en-US')
$file = Join-Path $target 'ConvViz.Commands.dll-Help.xml'
$w = [System.Xml.XmlWriter]::Create($file, $settings)
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Para([string] $text) {
    foreach ($p in ($text -split "`n\s*`n")) {
        $w.WriteElementString('para', $maml, ($p -replace '\s*\n\s*', ' ').Trim())
    }
}
function Write-Description([string] $text) {
    $w.WriteStartElement('description', $maml); Write-Para $text; $w.WriteEndElement()
}
function Get-PipelineText([bool] $byValue, [bool] $byName) {
    if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
}
# The type as users write it: Int32 for Nullable<int>, String[] for arrays, List[String] for generics.
function Get-TypeName([type] $type, [bool] $full) {
    $inner = [Nullable]::GetUnderlyingType($type)
    if ($inner) { return Get-TypeName $inner $full }
    if ($type.IsArray) { return (Get-TypeName $type.GetElementType() $full) + '[]' }
    if ($type.IsGenericType) {
        $name = ($full ? $type.FullName : $type.Name) -replace '`\d+.*$', ''
        return '{0}[{1}]' -f $name, (($type.GetGenericArguments() | ForEach-Object { Get-TypeName $_ $full }) -join ', ')
    }
    if ($type -eq [System.Management.Automation.SwitchParameter]) { return ($full ? $type.FullName : 'SwitchParameter') }
    return ($full ? $type.FullName : $type.Name)
}
# A default as text: from the help file, else the property's value in a fresh cmdlet, else None.
function Get-DefaultText($help, $instance, $p) {
    if ($help['Defaults'] -and $help.Defaults.ContainsKey($p.Name)) { return [string]$help.Defaults[$p.Name] }
    if ($p.ParameterType -eq [switch]) { return 'False' }
    if ($null -eq $instance) { return 'None' }
    $property = $instance.GetType().GetProperty($p.Name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue($instance)
    if ($null -eq $value -or ($value -is [string] -and $value -eq '')) { return 'None' }
    if ($value -is [System.Collections.IEnumerable] -and $value -isnot [string]) {
        $items = @($value | ForEach-Object { [string]$_ })
        return $items.Count ? ($items -join ', ') : 'None'
    }
    if ($value -is [double] -or $value -is [float]) { return $value.ToString([cultureinfo]::InvariantCulture) }
    return [string]$value
}
function Write-ParameterElement($p, [string] $position, [string] $pipeline, [string] $text, [bool] $required, [bool] $full, [string] $default = 'None') {
    $w.WriteStartElement('parameter', $cmd)
    $w.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $w.WriteAttributeString('position', $position)
    $w.WriteAttributeString('pipelineInput', $pipeline)
    $w.WriteAttributeString('globbing', ($p.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0).ToString())
    $w.WriteElementString('name', $maml, $p.Name)
    if ($full) { Write-Description $text }
    if ($p.ParameterType -ne [switch]) {
        $w.WriteStartElement('parameterValue', $cmd); $w.WriteAttributeString('required', 'true')
        $w.WriteString((Get-TypeName $p.ParameterType $false)); $w.WriteEndElement()
    }
    if ($full) {
        $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, (Get-TypeName $p.ParameterType $true)); $w.WriteEndElement()
        $w.WriteElementString('defaultValue', $dev, $default)
    }
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
foreach ($command in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
    $dataFile = Join-Path $HelpSource "$($command.Name).psd1"
    if (-not (Test-Path $dataFile)) { $problems.Add("$($command.Name): no help file $dataFile"); continue }
    $help = Import-PowerShellDataFile $dataFile
    $instance = try { [Activator]::CreateInstance($command.ImplementingType) } catch { $null }
    foreach ($name in @($help['Defaults'] ? $help.Defaults.Keys : @())) {
        if (-not $command.Parameters.ContainsKey($name)) { $problems.Add("$($command.Name): Defaults names unknown parameter -$name") }
    }
    if (-not $help['Examples']) { $problems.Add("$($command.Name): no examples") }
    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $parameters) {
        if (-not $help.Parameters.ContainsKey($p.Name)) { $problems.Add("$($command.Name): parameter -$($p.Name) is not documented") }
    }

    $w.WriteStartElement('command', 'command', $cmd)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('details', $cmd)
    $w.WriteElementString('name', $cmd, $command.Name)
    Write-Description $help.Synopsis
    $w.WriteElementString('verb', $cmd, $command.Verb)
    $w.WriteElementString('noun', $cmd, $command.Noun)
    $w.WriteEndElement()
    Write-Description $help.Description

    $w.WriteStartElement('syntax', $cmd)
    foreach ($set in $command.ParameterSets) {
        $w.WriteStartElement('syntaxItem', $cmd)
        $w.WriteElementString('name', $maml, $command.Name)
        foreach ($p in ($set.Parameters | Where-Object { $_.Name -notin $common })) {
            $position = if ($p.Position -ge 0) { [string]$p.Position } else { 'named' }
            Write-ParameterElement $p $position (Get-PipelineText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName) '' $p.IsMandatory $false
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $cmd)
    foreach ($p in $parameters) {
        $attrs = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $position = $null
        foreach ($a in $attrs) { if ($a.Position -ge 0) { $position = $a.Position } }
        $text = if ($help.Parameters.ContainsKey($p.Name)) { $help.Parameters[$p.Name] } else { '' }
        $pipeline = Get-PipelineText ([bool]($attrs | Where-Object ValueFromPipeline)) ([bool]($attrs | Where-Object ValueFromPipelineByPropertyName))
        Write-ParameterElement $p ($null -ne $position ? [string]$position : 'named') $pipeline $text ([bool]($attrs | Where-Object Mandatory)) $true (Get-DefaultText $help $instance $p)
    }
    $w.WriteEndElement()

    $w.WriteStartElement('inputTypes', $cmd)
    foreach ($type in @($help['Inputs'])) {
        if (-not $type) { continue }
        $w.WriteStartElement('inputType', $cmd)
        $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $type.Type); $w.WriteEndElement()
        Write-Description $type.Description
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteStartElement('returnValues', $cmd)
    foreach ($type in $command.OutputType) {
        $w.WriteStartElement('returnValue', $cmd)
        $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $type.Name); $w.WriteEndElement()
        Write-Description ($help['Outputs'] ?? '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    if ($help['Notes']) {
        $w.WriteStartElement('alertSet', $maml); $w.WriteStartElement('alert', $maml); Write-Para $help['Notes']; $w.WriteEndElement(); $w.WriteEndElement()
    }
    $w.WriteStartElement('examples', $cmd)
    $i = 0
    foreach ($example in $help['Examples']) {
        $i++
        $w.WriteStartElement('example', $cmd)
        $w.WriteElementString('title', $maml, "--------- Example ${i}: $($example.Title) ---------")
        $w.WriteElementString('code', $dev, $example.Code.Trim())
        $w.WriteStartElement('remarks', $dev); Write-Para ($example['Remarks'] ?? ''); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteStartElement('relatedLinks', $maml)
    foreach ($link in @($help['Links'])) {
        if (-not $link) { continue }
        $w.WriteStartElement('navigationLink', $maml); $w.WriteElementString('linkText', $maml, $link); $w.WriteElementString('uri', $maml, ''); $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()

# About topics ship as plain text beside the MAML file (Get-Help about_X finds en-US/about_X.help.txt).
foreach ($topic in Get-ChildItem $HelpSource -Filter 'about_*.help.txt') {
    if ((Get-Content -Raw $topic.FullName) -notmatch '(?m)^TOPIC\s*$') { $problems.Add("$($topic.Name): an about topic starts with a TOPIC section") }
    Copy-Item $topic.FullName (Join-Path $target $topic.Name) -Force
}

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    exit 1
}
Write-Host "Help: $file"
