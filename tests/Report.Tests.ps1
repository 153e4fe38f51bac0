#Requires -Modules Pester
# Patch grids, display normalisation, filter grids and the HTML report (issues 6 and 7).
# Engine behaviour is checked through the test kit (synthetic inputs); the cmdlet contract
# (Export-PatchGrid, Export-FilterGrid, Export-ConvVizReport) is checked where the cmdlets exist.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Fixtures = Get-TestKitType 'GridFixtures'
    $script:Pixels = Get-TestKitType 'SheetPixels'
    # Engine types, from the same load context as the kit (type literals would not see it).
    $kit = $Fixtures.Assembly
    $engineName = $kit.GetReferencedAssemblies() | Where-Object Name -eq 'ConvViz.Engine'
    $engine = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($kit).LoadFromAssemblyName($engineName)
    function script:EngineType([string] $Name) { $engine.GetType("ConvViz.Engine.$Name", $true) }
    $script:Grid = @{}
    foreach ($n in 'PatchGridRenderer', 'PatchGridOptions', 'PatchPanels', 'NormalizationMode', 'DisplayNormalization',
        'FloatPlanes', 'SheetWriter', 'AtomicFile', 'FilterGridRenderer', 'FilterGridOptions', 'FeatureMapRenderer') {
        $Grid[$n] = EngineType "Grid.$n"
    }
    $script:HtmlReport = EngineType 'Report.HtmlReport'
    $script:White = 0xFFFFFF
    $script:CellGrey = 0x202020
    $script:ProjectionColour = 0xFF0080   # R=+1, G=-1, B=0 under Symmetric
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("convviz-report-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $Work | Out-Null

    function script:New-GridOptions([hashtable] $Set) {
        $o = $Grid.PatchGridOptions::new()
        foreach ($k in $Set.Keys) { $o.$k = $Set[$k] }
        $o
    }
    function script:Invoke-Chromium([string[]] $Arguments) {
        $profile = Join-Path $Work ("chrome-" + [guid]::NewGuid().ToString('N'))
        $out = & chromium --headless --no-sandbox --disable-gpu --no-first-run "--user-data-dir=$profile" @Arguments 2>$null
        ($out | Out-String)
    }
}
AfterAll {
    if ($script:Work) { Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Patch grid geometry (from the pixels of a written sheet)' {
    BeforeAll {
        # 5 units x 9 cells, 2 sheet columns, 20 px cells, both panels, labels on.
        $units = $Fixtures::SolidUnits(5, 9, 20, 20, $null)
        $opts = New-GridOptions @{ Columns = 2; CellSize = 20; Layout = $Grid.PatchPanels::Both }
        $sheet = $Grid.PatchGridRenderer::Render($units, $opts)
        $script:SheetPath = Join-Path $Work 'grid.png'
        $Grid.SheetWriter::Save($sheet, $SheetPath, 92)
        $sheet.Dispose()
        $script:Px = $Pixels::Load($SheetPath)
        # The documented geometry, computed here independently of PatchGridLayout.
        $script:Margin = 8; $script:CellGap = 2; $script:PanelGap = 8; $script:UnitGap = 16; $script:Label = 18
        $script:S = 20; $script:G = 3
        $script:PanelW = $G * $S + ($G - 1) * $CellGap               # 64
        $script:BlockW = 2 * $PanelW + $PanelGap                       # 136
        $script:BlockH = $Label + $PanelW                              # 82 (3 rows, square panel)
        function script:CellOf([int] $u, [int] $r, [bool] $patch) {
            $bx = $Margin + ($u % 2) * ($BlockW + $UnitGap)
            $by = $Margin + [math]::Floor($u / 2) * ($BlockH + $UnitGap)
            $x = $bx + ($patch ? $PanelW + $PanelGap : 0) + ($r % $G) * ($S + $CellGap)
            $y = $by + $Label + [math]::Floor($r / $G) * ($S + $CellGap)
            [pscustomobject]@{ X = [int]$x; Y = [int]$y }
        }
    }

    It 'has the documented sheet size' {
        $Px.Width | Should -Be (2 * $Margin + 2 * $BlockW + $UnitGap)          # 304
        $Px.Height | Should -Be (2 * $Margin + 3 * $BlockH + 2 * $UnitGap)     # 294
    }

    It 'puts every cell of every unit where documented, edge to edge, with white gutters' {
        $bad = [Collections.Generic.List[string]]::new()
        foreach ($u in 0..4) {
            foreach ($r in 0..8) {
                foreach ($patch in $false, $true) {
                    $c = CellOf $u $r $patch
                    $want = $patch ? $Fixtures::PatchColour($u, $r) : $ProjectionColour
                    foreach ($p in @(@(0, 0), @(($S - 1), 0), @(0, ($S - 1)), @(($S - 1), ($S - 1)), @(10, 10))) {
                        $d = $Px.Distance($c.X + $p[0], $c.Y + $p[1], $want)
                        if ($d -gt 2) { $bad.Add("unit $u rank $r patch=$patch at +$($p[0]),+$($p[1]): $($Px.Hex($c.X + $p[0], $c.Y + $p[1]))") }
                    }
                    # Left, right and bottom neighbours are gutter (sheet background).
                    foreach ($q in @(@(-1, 10), @($S, 10), @(10, $S))) {
                        if ($Px.At($c.X + $q[0], $c.Y + $q[1]) -ne $White) { $bad.Add("unit $u rank $r patch=$patch gutter at $($q[0]),$($q[1])") }
                    }
                }
            }
        }
        $bad | Should -BeNullOrEmpty
    }

    It 'leaves the margins and the unused sixth block white' {
        foreach ($x in 0..($Px.Width - 1)) { $Px.At($x, 0) | Should -Be $White; $Px.At($x, $Px.Height - 1) | Should -Be $White }
        $c = CellOf 5 4 $false     # where a 6th unit would be
        $Px.At($c.X + 10, $c.Y + 10) | Should -Be $White
    }

    It 'letterboxes a tall patch, scaled up, centred in its cell' {
        # One unit, one cell, patches only: a 5 x 10 patch becomes 10 x 20 at x offset 5.
        $units = $Fixtures::One(($Fixtures::SolidUnits(1, 1, 5, 10, $null))[0])
        $opts = New-GridOptions @{ Columns = 1; CellSize = 20; Layout = $Grid.PatchPanels::Patches }
        $img = $Grid.PatchGridRenderer::Render($units, $opts)
        try { $p = $Pixels::From($img) } finally { $img.Dispose() }
        $p.Width | Should -Be (2 * 8 + 20)
        $p.Height | Should -Be (2 * 8 + 18 + 20)
        $y = 8 + 18 + 10
        foreach ($x in 8..12) { $p.At($x, $y) | Should -Be $CellGrey }
        foreach ($x in 13..22) { $p.Distance($x, $y, $Fixtures::PatchColour(0, 0)) | Should -BeLessOrEqual 2 }
        foreach ($x in 23..27) { $p.At($x, $y) | Should -Be $CellGrey }
        $p.Distance(17, 8 + 18, $Fixtures::PatchColour(0, 0)) | Should -BeLessOrEqual 2      # full height
        $p.Distance(17, 8 + 18 + 19, $Fixtures::PatchColour(0, 0)) | Should -BeLessOrEqual 2
    }
}

Describe 'Unit labels' {
    It 'draws label text with SkiaSharp inside the module (natives resolved from Dependencies)' {
        $EngineType = EngineType 'Grid.TextRasterizer'
        $EngineType::IsAvailable | Should -BeTrue -Because 'libSkiaSharp.so ships in Dependencies and DejaVu fonts are on Debian'
        $units = $Fixtures::SolidUnits(1, 1, 8, 8, $null)
        $img = $Grid.PatchGridRenderer::Render($units, (New-GridOptions @{ CellSize = 120; Layout = $Grid.PatchPanels::Patches }))
        try { $p = $Pixels::From($img) } finally { $img.Dispose() }
        $dark = 0
        for ($y = 8; $y -lt 26; $y++) { for ($x = 8; $x -lt 128; $x++) { if ($p.At($x, $y) -ne $White) { $dark++ } } }
        $dark | Should -BeGreaterThan 30 -Because 'the strip shows "features.0  #0"'
    }
}

Describe 'Display normalisation' {
    BeforeAll {
        # 3 x 1 x 2: pixel 0 = (-2, 0.25, 0), pixel 1 = (1, 0, -1).
        $data = [float[]]@(-2, 1, 0.25, 0, 0, -1)
        $script:Planes = $Grid.FloatPlanes::new($data, 3, 1, 2)
        function script:Draw($mode) {
            $img = $Grid.DisplayNormalization::ToImage($Planes, $Grid.NormalizationMode::$mode)
            try { $p = $Pixels::From($img) } finally { $img.Dispose() }
            @($p.Hex(0, 0), $p.Hex(1, 0))
        }
    }

    It 'Symmetric: 0 is mid-grey (128) and the largest magnitude reaches 0 or 255' {
        # t = 0.5 + v / (2 * 2): -2 -> 0, 1 -> 191, 0.25 -> 143, 0 -> 128, -1 -> 64.
        Draw Symmetric | Should -Be @('008F80', 'BF8040')
    }

    It 'MinMax: min is 0 and max is 255' {
        # t = (v + 2) / 3: -2 -> 0, 1 -> 255, 0.25 -> 191, 0 -> 170, -1 -> 85.
        Draw MinMax | Should -Be @('00BFAA', 'FFAA55')
    }

    It 'Absolute: 0 is black and the largest magnitude is 255' {
        # t = |v| / 2: -2 -> 255, 1 -> 128, 0.25 -> 32, 0 -> 0, -1 -> 128.
        Draw Absolute | Should -Be @('FF2000', '800080')
    }

    It 'Robust: scales by the 99th percentile of the non-zero magnitudes and clips the outliers' {
        # 3 x 1 x 100: +0.5 at even, -0.25 at odd indices, one outlier of 100 at index 0.
        $data = [float[]]::new(300)
        for ($i = 0; $i -lt 300; $i++) { $data[$i] = if ($i % 2 -eq 0) { 0.5 } else { -0.25 } }
        $data[0] = 100
        $planes = $Grid.FloatPlanes::new($data, 3, 1, 100)
        foreach ($mode in 'Robust', 'Symmetric') {
            $img = $Grid.DisplayNormalization::ToImage($planes, $Grid.NormalizationMode::$mode)
            try { $p = $Pixels::From($img) } finally { $img.Dispose() }
            if ($mode -eq 'Robust') {
                # p = 0.5: 0.5 -> 255, -0.25 -> 64, the outlier 100 is clipped to 255.
                @($p.Hex(0, 0), $p.Hex(1, 0), $p.Hex(2, 0)) | Should -Be @('FFFFFF', '404040', 'FFFFFF')
            } else {
                # m = 100: 0.5 -> 128, -0.25 -> 127: the outlier washes everything out.
                @($p.Hex(1, 0), $p.Hex(2, 0)) | Should -Be @('7F7F7F', '808080')
            }
        }
    }

    It 'draws an all-zero reconstruction mid-grey' {
        $zero = $Grid.FloatPlanes::new([float[]]::new(6), 3, 1, 2)
        $img = $Grid.DisplayNormalization::ToImage($zero, $Grid.NormalizationMode::Symmetric)
        try { $Pixels::From($img).Hex(1, 0) | Should -Be '808080' } finally { $img.Dispose() }
    }
}

Describe 'Filter grid' {
    It 'tiles filters at an integer scale, each normalised on its own' {
        # 2 filters 3 x 2 x 2: filter 0 all +1 except one -1, filter 1 ten times larger.
        $w = [float[]]::new(2 * 3 * 4)
        for ($i = 0; $i -lt 12; $i++) { $w[$i] = 1; $w[12 + $i] = 10 }
        $w[0] = -1; $w[12] = -10
        $opts = $Grid.FilterGridOptions::new(); $opts.CellSize = 8; $opts.Gap = 2; $opts.Margin = 4
        $img = $Grid.FilterGridRenderer::Render($w, 2, 3, 2, 2, $opts)
        try { $p = $Pixels::From($img) } finally { $img.Dispose() }
        # scale 4: tiles 8 x 8 at x = 4 and x = 14
        $p.Width | Should -Be (4 + 8 + 2 + 8 + 4)
        $p.Height | Should -Be (4 + 8 + 4)
        foreach ($x0 in 4, 14) {
            $p.Hex($x0, 4) | Should -Be '00FFFF'        # weight (0,0): R = -m -> 0, G = B = +m -> 255
            $p.Hex($x0 + 3, 4 + 3) | Should -Be '00FFFF' # the same weight, enlarged 4x
            $p.Hex($x0 + 4, 4) | Should -Be 'FFFFFF'     # next weight, all +m
        }
        $p.At(12, 8) | Should -Be $White                 # gap
    }
}

Describe 'Atomic writes' {
    It 'keeps an earlier file and leaves no temporary file when writing fails' {
        $path = Join-Path $Work 'atomic.png'
        Set-Content -LiteralPath $path -Value 'earlier' -NoNewline
        $action = [Action[IO.Stream]] { param($s) $s.WriteByte(1); throw 'disk on fire' }
        { $Grid.AtomicFile::Write($path, $action) } | Should -Throw '*disk on fire*'
        Get-Content -LiteralPath $path -Raw | Should -Be 'earlier'
        Get-ChildItem -LiteralPath $Work -Force -Filter '.atomic.png.*' | Should -BeNullOrEmpty
    }

    It 'rejects an unknown sheet extension before touching the file' {
        $units = $Fixtures::SolidUnits(1, 1, 4, 4, $null)
        $img = $Grid.PatchGridRenderer::Render($units, (New-GridOptions @{ CellSize = 8 }))
        try { { $Grid.SheetWriter::Save($img, (Join-Path $Work 'sheet.gif'), 92) } | Should -Throw '*.gif*' }
        finally { $img.Dispose() }
        Join-Path $Work 'sheet.gif' | Should -Not -Exist
    }
}

Describe 'HTML report' {
    BeforeAll {
        $script:Evil = '<script>alert(1)</script>'
        $script:ReportPath = Join-Path $Work "report.html"
        $report = $Fixtures::DemoReport($Evil, 7)
        $HtmlReport::Save($report, $ReportPath, $Fixtures::ReportOptionsWithPage(3))
        $script:Html = Get-Content -LiteralPath $ReportPath -Raw
    }

    It 'escapes every string that comes from data' {
        $Html | Should -Not -Match ([regex]::Escape('<script>alert'))
        $Html | Should -Match ([regex]::Escape('/photos/&lt;script&gt;alert(1)&lt;/script&gt;.jpg'))
        $Html | Should -Match ([regex]::Escape('features.0 &lt;script&gt;alert(1)&lt;/script&gt;'))
        ([regex]::Matches($Html, '<script')).Count | Should -Be 1 -Because 'only the report''s own check script is a script'
    }

    It 'is self-contained: no external resources, images as data: URIs, lazy loading' {
        $Html | Should -Not -Match '(src|href)="(https?:|//|file:)'
        $Html | Should -Not -Match '<link '
        $imgs = [regex]::Matches($Html, '<img [^>]*>')
        $imgs.Count | Should -BeGreaterThan 10
        foreach ($m in $imgs) {
            $m.Value | Should -Match 'src="data:image/(png|jpeg);base64,'
            $m.Value | Should -Match 'loading="lazy"'
        }
    }

    It 'collapses layers and pages units' {
        $Html | Should -Match '<details class="layer" id="layer-0" open>'
        $Html | Should -Match '<details class="page" open><summary>Units 1–3 of 7</summary>'
        $Html | Should -Match '<summary>Units 7–7 of 7</summary>'
    }

    It 'loads every image and renders in headless Chromium' {
        if (-not (Get-Command chromium -ErrorAction Ignore)) {
            Set-ItResult -Skipped -Because 'chromium is not installed (build.ps1 test installs it on Debian with apt-get)'
            return
        }
        # #selftest opens every <details>, loads every lazy image and records the counts on <body>.
        # Chromium's start-up competes with the rest of the machine; a busy one gets more virtual time.
        foreach ($budget in 10000, 30000, 60000) {
            $dom = Invoke-Chromium @('--dump-dom', "--virtual-time-budget=$budget", "file://$ReportPath#selftest")
            if ($dom -match 'data-selftest="done"') { break }
        }
        $dom | Should -Match 'data-selftest="done"'
        $total = [int]([regex]::Match($dom, 'data-images-total="(\d+)"').Groups[1].Value)
        $loaded = [int]([regex]::Match($dom, 'data-images-loaded="(\d+)"').Groups[1].Value)
        $total | Should -BeGreaterThan 10
        $loaded | Should -Be $total
        $dom | Should -Match 'data-images-broken="0"'

        $shot = Join-Path $Work 'report.png'
        Invoke-Chromium @("--screenshot=$shot", '--window-size=1280,2000', "file://$ReportPath") | Out-Null
        $shot | Should -Exist
        $Pixels::Load($shot).DistinctColours() | Should -BeGreaterThan 200 -Because 'a blank page has a handful of colours'
    }
}

Describe 'Cmdlet contract' {
    It 'Export-PatchGrid offers the documented parameters' {
        $cmd = Get-Command Export-PatchGrid
        foreach ($p in 'Path', 'Columns', 'CellSize', 'Layout', 'Normalization', 'PassThru') { $cmd.Parameters.Keys | Should -Contain $p }
        $cmd.Parameters['Layout'].Attributes.ValidValues + @() | Should -Contain 'Both'
    }

    It 'Export-FilterGrid writes zfnet''s first-layer filters as a 96-tile sheet' {
        $path = Join-Path $Work 'filters.png'
        $m = Import-ConvModel -Architecture zfnet -Device cpu
        Export-FilterGrid -Model $m -Path $path
        $path | Should -Exist
        $p = $Pixels::Load($path)
        $p.Width | Should -BeGreaterThan 100
    }

    It 'Export-ConvVizReport writes one HTML file with the patches, the geometry, and file names escaped' {
        $photo = Join-Path ($env:CONVVIZ_PHOTOS ?? (Join-Path $PSScriptRoot '../out/photos')) 'chelsea.png'
        $hostile = Join-Path $Work '<script>alert(1)<script> & "cat".png'
        Copy-Item -LiteralPath $photo -Destination $hostile
        $m = Import-ConvModel -Architecture zfnet -Device cpu
        $path = Join-Path $Work 'report.html'
        $file = Get-TopActivations -LiteralPath $hostile, $photo -Model $m -Layer conv1, conv2 -Unit 0..2 -Top 2 |
            Invoke-Deconvolution | Export-ConvVizReport -Path $path -Title 'cmdlet report' -PassThru
        $file.FullName | Should -Be $path
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Not -Match '<script>alert'
        $html | Should -Match '&lt;script&gt;alert\(1\)&lt;script&gt; &amp; (&quot;|&#34;)cat(&quot;|&#34;)\.png'
        $html | Should -Match 'conv1'
        $html | Should -Match '96(×|&#215;)110(×|&#215;)110'
        ([regex]::Matches($html, '<img ')).Count | Should -BeGreaterThan 1
        $html | Should -Not -Match '(src|href)="https?:'
    }

    It 'Export-PatchGrid refuses an unknown extension and an unwritable folder before any work' {
        { @() | Export-PatchGrid -Path (Join-Path $Work 'sheet.bmp') -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'.bmp' is not .png, .jpg or .jpeg*"
        { @() | Export-PatchGrid -Path (Join-Path $Work 'missing/sheet.png') -ErrorAction Stop } | Should -Throw -ExpectedMessage '*does not exist*'
    }
}

Describe 'Report detail views (issue 16)' {
    BeforeAll {
        $photos = $env:CONVVIZ_PHOTOS ?? (Join-Path $PSScriptRoot '../out/photos')
        $files = @('chelsea.png', 'coffee.png', 'motorcycle_left.png' | ForEach-Object { Join-Path $photos $_ })
        $script:Zf = Import-ConvModel -Architecture zfnet -Device cpu
        $acts = @($files | Get-TopActivations -Model $Zf -Layer conv1, conv2 -Unit 0..1 -Top 2)
        $script:Proj = @($acts | Invoke-Deconvolution -Model $Zf -Method Deconvnet, GuidedBackprop -Crop Effective)
        $script:DetailPath = Join-Path $Work 'detail.html'
        $Proj | Export-ConvVizReport -Path $DetailPath -Title 'detail' -FilterLayer conv1
        $script:DetailHtml = Get-Content -LiteralPath $DetailPath -Raw
        $script:ExtPath = Join-Path $Work 'ext.html'
        $Proj | Export-ConvVizReport -Path $ExtPath -Title 'external' -ExternalImages
        $script:ExtHtml = Get-Content -LiteralPath $ExtPath -Raw

        # Width and height of an encoded picture, decoded by the kit.
        function script:Get-PictureSize([byte[]] $Bytes) {
            $f = Join-Path $Work ("pic-" + [guid]::NewGuid().ToString('N'))
            [IO.File]::WriteAllBytes($f, $Bytes)
            $p = $Pixels::Load($f)
            @($p.Width, $p.Height)
        }
        function script:Get-Section([string] $Html, [string] $Id) {
            $m = [regex]::Match($Html, "<section class=""detail"" id=""$Id""[\s\S]*?</section>")
            $m.Success | Should -BeTrue -Because "the report has a detail view $Id"
            $m.Value
        }
    }

    It 'holds each of the top-k at the model input size: projections per method, the patch and the photo' {
        $section = Get-Section $DetailHtml 'u1-0'
        $section | Should -Match 'data-layer="conv2" data-unit="0"'
        $imgs = [regex]::Matches($section, '<img [^>]*src="data:image/(jpeg|png);base64,([^"]+)"')
        # 2 items x (2 methods + patch)
        $imgs.Count | Should -Be 6
        foreach ($m in $imgs) {
            $size = Get-PictureSize ([Convert]::FromBase64String($m.Groups[2].Value))
            [math]::Max($size[0], $size[1]) | Should -Be 224 -Because 'every picture of the detail view is at the input size'
        }
        ([regex]::Matches($section, '<figcaption>Deconvnet ')).Count | Should -Be 2
        ([regex]::Matches($section, '<figcaption>GuidedBackprop ')).Count | Should -Be 2
        $section | Should -Match 'activation <b>[-0-9.eE+]+</b>'
        $section | Should -Match '<b>#2</b>'
        # The photo: a shared CSS class whose picture is the whole photo at the input size, with the boxes over it.
        $cls = [regex]::Match($section, 'class="photo (ph\d+)"').Groups[1].Value
        $cls | Should -Not -BeNullOrEmpty
        $uri = [regex]::Match($DetailHtml, "\.$cls\{background-image:url\(data:image/jpeg;base64,([^)]+)\)\}").Groups[1].Value
        $size = Get-PictureSize ([Convert]::FromBase64String($uri))
        [math]::Max($size[0], $size[1]) | Should -Be 224
        $section | Should -Match '<span class="box" style="left:[0-9.]+%;top:[0-9.]+%;width:[0-9.]+%;height:[0-9.]+%"></span>'
        $section | Should -Match '<span class="field"'
    }

    It 'draws the patch box where the record says, as a share of the photo' {
        $p = $Proj | Where-Object { $_.Layer -eq 'conv2' } | Sort-Object Unit, Rank | Select-Object -First 1
        $section = Get-Section $DetailHtml 'u1-0'
        $style = [regex]::Match($section, '<span class="box" style="([^"]+)"').Groups[1].Value
        $left = 100.0 * $p.PatchBox.Left / $p.ImageWidth
        $style | Should -Match ("left:{0}%" -f [regex]::Escape($left.ToString('0.###', [Globalization.CultureInfo]::InvariantCulture)))
    }

    It 'has links that all resolve, unit links to detail views, and prev/next/layer links in each view' {
        $ids = [Collections.Generic.HashSet[string]]::new([string[]]@([regex]::Matches($DetailHtml, ' id="([^"]+)"') | ForEach-Object { $_.Groups[1].Value }))
        $hrefs = @([regex]::Matches($DetailHtml, 'href="#([^"]+)"') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        $hrefs.Count | Should -BeGreaterThan 10
        $hrefs | Where-Object { -not $ids.Contains($_) } | Should -BeNullOrEmpty
        $DetailHtml | Should -Match '<figcaption><a href="#u0-0">conv1 #0</a></figcaption>'
        $section = Get-Section $DetailHtml 'u0-1'
        $section | Should -Match '<a class="prev" href="#u0-0">'
        $section | Should -Match '<a class="nextlayer" href="#u1-0">'
        $section | Should -Match '<a class="up" href="#g0-1">'
        $DetailHtml | Should -Match '<form id="jump"'
    }

    It 'reports the scan (images, time, k) from the records and warns that 3 images are too few for a top-2' {
        $DetailHtml | Should -Match '<th>Images scanned</th><td>3</td>'
        $DetailHtml | Should -Match '<th>Scan time</th><td>\d+:\d\d:\d\d\.\d</td>'
        $DetailHtml | Should -Match '<th>Top-k</th><td>2</td>'
        $DetailHtml | Should -Match 'class="warning" id="small-dataset">Only 3 images'
        # The geometry of the two layers shown, the full table collapsed; the filters of conv1.
        $DetailHtml | Should -Match '<details class="all-layers"><summary>All \d+ layers</summary>'
        $DetailHtml | Should -Match '<h2 id="filters">Filters of conv1</h2>'
    }

    It 'writes the pictures as files beside the HTML with -ExternalImages' {
        $ExtHtml | Should -Not -Match 'data:image/'
        $srcs = @([regex]::Matches($ExtHtml, '(src="|url\()(ext_files/[^")]+)') | ForEach-Object { $_.Groups[2].Value })
        $srcs.Count | Should -BeGreaterThan 20
        foreach ($src in $srcs) { Join-Path $Work $src | Should -Exist }
        $section = Get-Section $ExtHtml 'u1-1'
        foreach ($m in [regex]::Matches($section, '<img [^>]*src="(ext_files/[^"]+)"')) {
            $size = Get-PictureSize ([IO.File]::ReadAllBytes((Join-Path $Work $m.Groups[1].Value)))
            [math]::Max($size[0], $size[1]) | Should -Be 224
        }
        (Get-Item $ExtPath).Length | Should -BeLessThan ((Get-Item $DetailPath).Length / 4)
    }

    It 'opens a unit''s detail view by its link in headless Chromium, and the screenshot shows it' {
        if (-not (Get-Command chromium -ErrorAction Ignore)) {
            Set-ItResult -Skipped -Because 'chromium is not installed (build.ps1 test installs it on Debian with apt-get)'
            return
        }
        $shot = Join-Path $Work 'detail.png'
        $null = Invoke-Chromium @("--screenshot=$shot", '--window-size=1280,1000', '--virtual-time-budget=10000', "file://$DetailPath#u1-0")
        $shot | Should -Exist
        $px = $Pixels::Load($shot)
        $px.DistinctColours() | Should -BeGreaterThan 200 -Because 'the view shows photos and projections'
        # The view is alone on the page: the grid's heading is hidden, the view's own pictures load.
        $dom = Invoke-Chromium @('--dump-dom', '--virtual-time-budget=10000', "file://$DetailPath#u1-0")
        $dom | Should -Match 'data-shown="u1-0"'
        Copy-Item $shot (Join-Path ([IO.Path]::GetTempPath()) 'convviz-detail-view.png') -Force
    }
}
