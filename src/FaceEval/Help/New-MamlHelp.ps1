<#
.SYNOPSIS
    Writes the module's MAML help (en-US/FaceEval.dll-Help.xml) from the text files beside this script.
.DESCRIPTION
    Each cmdlet has a <Verb-Noun>.help.psd1 here with its synopsis, description, parameter texts,
    inputs, outputs, notes, examples and links. Parameter types, sets, positions, pipeline binding,
    aliases and wildcard support are read from the built cmdlet itself, so the help cannot drift
    from the code. A cmdlet without a help file, or a parameter without a text, fails the build.
#>
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$module = Import-Module (Join-Path $ModulePath 'FaceEval.psd1') -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$helpDir = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory -Force -Path $helpDir | Out-Null
$w = [System.Xml.XmlWriter]::Create((Join-Path $helpDir 'FaceEval.dll-Help.xml'), $settings)

function Paras([string] $prefix, [string] $element, [object] $text) {
    $w.WriteStartElement($prefix, $element, $ns[$prefix])
    foreach ($block in @($text)) {
        foreach ($para in ([string]$block -split "(\r?\n){2,}")) {
            if ($para.Trim()) { $w.WriteElementString('maml', 'para', $ns.maml, ($para.Trim() -replace '\s*\r?\n\s*', ' ')) }
        }
    }
    $w.WriteEndElement()
}

function TypeName([type] $t) {
    if ($t.IsGenericType -and $t.GetGenericTypeDefinition() -eq [Nullable`1]) { return $t.GetGenericArguments()[0].Name }
    if ($t -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    return $t.Name
}

function ParameterElement($cmd, $param, $setParam, $help, [string] $commandName) {
    $text = $help.Parameters[$param.Name]
    if (-not $text) { throw "$commandName help has no text for parameter -$($param.Name)." }
    $default = $null
    $pipeline = @()
    if ($setParam.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    if ($setParam.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($text -is [hashtable]) {
        $default = $text['Default']
        # A cmdlet that takes piped strings through a hidden parameter says so here.
        if ($text.ContainsKey('PipelineInput')) { $pipeline = @($text.PipelineInput) }
        $text = $text.Description
    }
    $isSwitch = $param.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', $setParam.IsMandatory.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', $param.ParameterType.IsArray.ToString().ToLowerInvariant())
    $globbing = [bool]($param.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $w.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($setParam.Position -ge 0) { [string]$setParam.Position } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($param.Aliases.Count) { $param.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $ns.maml, $param.Name)
    Paras 'maml' 'description' $text
    if (-not $isSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString((TypeName $param.ParameterType))
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, (TypeName $param.ParameterType))
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($null -ne $default) { [string]$default } elseif ($isSwitch) { 'False' } else { 'None' }))
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $PSScriptRoot "$($cmd.Name).help.psd1"
    if (-not (Test-Path $file)) { throw "No help text for $($cmd.Name): add $file." }
    $help = Import-PowerShellDataFile $file
    $params = $cmd.Parameters.Values | Where-Object { $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $cmd.Name)
    $w.WriteElementString('command', 'verb', $ns.command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $cmd.Noun)
    Paras 'maml' 'description' $help.Synopsis
    $w.WriteEndElement()
    Paras 'maml' 'description' $help.Description

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common -and -not $_.ValueFromRemainingArguments }) {
            $param = $params | Where-Object Name -eq $sp.Name
            if ($param) { ParameterElement $cmd $param $sp $help $cmd.Name }
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($param in $params | Sort-Object Name) {
        $sp = $cmd.ParameterSets.Parameters | Where-Object Name -eq $param.Name | Sort-Object { -not $_.IsMandatory } | Select-Object -First 1
        ParameterElement $cmd $param $sp $help $cmd.Name
    }
    $w.WriteEndElement()

    foreach ($kind in @(@{ Key = 'Inputs'; Outer = 'inputTypes'; Inner = 'inputType' }, @{ Key = 'Outputs'; Outer = 'returnValues'; Inner = 'returnValue' })) {
        $w.WriteStartElement('command', $kind.Outer, $ns.command)
        foreach ($item in @($help[$kind.Key])) {
            $w.WriteStartElement('command', $kind.Inner, $ns.command)
            $w.WriteStartElement('dev', 'type', $ns.dev)
            $w.WriteElementString('maml', 'name', $ns.maml, $item.Type)
            $w.WriteEndElement()
            Paras 'maml' 'description' $item.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    if ($help.ContainsKey('Notes')) {
        $w.WriteStartElement('maml', 'alertSet', $ns.maml)
        $w.WriteStartElement('maml', 'alert', $ns.maml)
        foreach ($note in @($help.Notes)) { $w.WriteElementString('maml', 'para', $ns.maml, $note) }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $ns.command)
    $n = 0
    foreach ($example in @($help.Examples)) {
        $n++
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- Example ${n}: $($example.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $example.Code.Trim())
        # Remarks: the sample output first, its lines kept as they are (as PlatyPS places output after the code),
        # then the explanation. Every example shows what it prints.
        if (-not $example.Output) { throw "$($cmd.Name): example $n ('$($example.Title)') has no sample Output." }
        $w.WriteStartElement('dev', 'remarks', $ns.dev)
        $w.WriteElementString('maml', 'para', $ns.maml, $example.Output.TrimEnd())
        foreach ($para in ([string]$example.Remarks -split "(\r?\n){2,}")) {
            if ($para.Trim()) { $w.WriteElementString('maml', 'para', $ns.maml, ($para.Trim() -replace '\s*\r?\n\s*', ' ')) }
        }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @($help.Links)) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $w.WriteElementString('maml', 'linkText', $ns.maml, $link)
        $w.WriteElementString('maml', 'uri', $ns.maml, '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()
