#Requires -Modules Pester
# Occlusion sensitivity and invariance (issue 7): planted regions, translation equivariance, heat-map geometry, real photos.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Fixtures = Get-TestKitType 'AnalysisFixtures'
    $script:Tiny = Get-TestKitType 'TinyNets'
    $script:Photo = Join-Path $PhotoPath 'chelsea.png'
}

Describe 'Occlusion of a model that looks only at one region' {
    It 'has its minimum exactly at the one cell that is the region (patch = stride)' {
        # 32x32 input, 4x4 grid of 8-pixel cells; the class depends only on rows 8..15, cols 16..23 = cell (1, 2).
        $model = $Fixtures::RegionClassifier(32, 8, 16, 8, 8)
        $img = Join-Path $TestDrive 'region.png'
        $Fixtures::WritePattern($img, 32, 32, 0, 1)
        $m = Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 8 -Stride 8 -Fill Zero -Layer score -Unit 0
        $m.Rows | Should -Be 4
        $m.Cols | Should -Be 4
        $m.Class | Should -Be 0
        $m.ClassName | Should -Be 'region'
        for ($r = 0; $r -lt 4; $r++) {
            for ($c = 0; $c -lt 4; $c++) {
                if ($r -eq 1 -and $c -eq 2) {
                    # Region black: logit 0 against 0, probability one half.
                    $m.Probability[$r, $c] | Should -BeLessThan 0.5001
                    $m.Activation[$r, $c] | Should -Be 0
                } else {
                    $m.Probability[$r, $c] | Should -Be $m.BaselineProbability -Because "cell ($r, $c) does not touch the region"
                    $m.Activation[$r, $c] | Should -BeGreaterThan 1
                }
            }
        }
        $m.BaselineProbability | Should -BeGreaterThan 0.95
    }

    It 'has its minimum on exactly the cells whose occluder covers the region (patch > stride)' {
        # Region rows/cols 12..15; stride 4, patch 12: occluder of cell r is rows [4r-4, 4r+8), covering 12..15 for r = 2, 3, 4.
        $model = $Fixtures::RegionClassifier(32, 12, 12, 4, 8)
        $img = Join-Path $TestDrive 'region2.png'
        $Fixtures::WritePattern($img, 32, 32, 0, 2)
        $m = Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 12 -Stride 4 -Fill Zero -BatchSize 5 -Class region
        $min = ($m.Probability | Measure-Object -Minimum).Minimum
        $argmin = foreach ($cell in $m.Cells) { if ($m.Probability[$cell.Row, $cell.Col] -le $min + 1e-6) { '{0},{1}' -f $cell.Row, $cell.Col } }
        $expected = foreach ($r in 2..4) { foreach ($c in 2..4) { "$r,$c" } }
        $argmin | Should -Be $expected
        # The same set from the documented geometry: occluder boxes that contain the region.
        $covering = foreach ($cell in $m.Cells) {
            $b = $cell.OccluderBox
            if ($b.Top -le 12 -and $b.Bottom -ge 16 -and $b.Left -le 12 -and $b.Right -ge 16) { '{0},{1}' -f $cell.Row, $cell.Col }
        }
        $covering | Should -Be $expected
    }

    It 'fills with the image mean, grey or black as asked' {
        $model = $Fixtures::RegionClassifier(16, 0, 0, 16, 8)
        $img = Join-Path $TestDrive 'fill.png'
        $Fixtures::WritePattern($img, 16, 16, 0, 3)
        # The whole image occluded: the class-0 logit is gain * the fill value (the region is all of the image).
        $gray = Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 16 -Stride 16 -Fill Gray -Layer score -Unit 0
        $gray.Activation[0, 0] | Should -BeGreaterThan (8 * 0.5 - 1e-4)
        $gray.Activation[0, 0] | Should -BeLessThan (8 * 0.5 + 1e-4)
        $mean = Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 16 -Stride 16 -Fill Mean -Layer score -Unit 0
        [math]::Abs($mean.Activation[0, 0] - $mean.BaselineActivation) | Should -BeLessThan 1e-4 -Because 'the mean colour keeps the mean'
        (Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 16 -Stride 16 -Fill Zero -Layer score -Unit 0).Activation[0, 0] | Should -Be 0
    }
}

Describe 'Heat-map geometry' {
    It 'has cells that tile the input exactly, the last ones narrower' {
        $model = $Fixtures::RegionClassifier(30, 0, 0, 4, 8)
        $img = Join-Path $TestDrive 'tile.png'
        $Fixtures::WritePattern($img, 30, 30, 0, 4)
        $m = Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 5 -Stride 8
        $m.Rows | Should -Be 4
        $m.Cols | Should -Be 4
        $cover = [int[]]::new(900)
        foreach ($cell in $m.Cells) {
            $b = $cell.CellBox
            for ($y = $b.Top; $y -lt $b.Bottom; $y++) { for ($x = $b.Left; $x -lt $b.Right; $x++) { $cover[$y * 30 + $x]++ } }
            # The occluder is centred on its cell: centres agree to within half a pixel.
            $o = $cell.OccluderBox
            if ($o.Top -gt 0 -and $o.Bottom -lt 30) { [math]::Abs(($o.Top + $o.Bottom) - ($b.Top + $b.Bottom)) | Should -BeLessOrEqual 1 }
        }
        ($cover | Where-Object { $_ -ne 1 }) | Should -BeNullOrEmpty -Because 'every input pixel is in exactly one cell'
        $m.Cells[-1].CellBox.Bottom - $m.Cells[-1].CellBox.Top | Should -Be 6
    }

    It 'maps cells of a cropped photo back inside the original, and draws heat maps the size of the photo' {
        $model = Import-ConvModel -Architecture resnet18 -Device cpu
        $m = Measure-OcclusionSensitivity -Path $Photo -Model $model -PatchSize 64 -Stride 56 -BatchSize 8
        $m.ImageWidth | Should -Be 451
        $m.ImageHeight | Should -Be 300
        $m.Rows * $m.Cols | Should -Be $m.Cells.Count
        foreach ($cell in $m.Cells) {
            $o = $cell.OriginalCellBox
            $o.Left | Should -BeGreaterOrEqual 0
            $o.Right | Should -BeLessOrEqual 451
            $o.Bottom | Should -BeLessOrEqual 300
        }
        # resnet18: shorter side to 256 then a 224 centre crop, so the grid spans the full height and the middle of the width.
        # 300x451 -> 256x384, crop (16, 80): the grid spans original rows floor(16*300/256)=18 .. ceil(240*300/256)=282, cols 93 .. 358.
        ($m.Cells | ForEach-Object { $_.OriginalCellBox.Top } | Measure-Object -Minimum).Minimum | Should -Be 18
        ($m.Cells | ForEach-Object { $_.OriginalCellBox.Bottom } | Measure-Object -Maximum).Maximum | Should -Be 282
        ($m.Cells | ForEach-Object { $_.OriginalCellBox.Left } | Measure-Object -Minimum).Minimum | Should -Be 93
        ($m.Cells | ForEach-Object { $_.OriginalCellBox.Right } | Measure-Object -Maximum).Maximum | Should -Be 358
        foreach ($kind in 'Probability', 'Activation', 'TopClass') {
            $file = $m | Export-HeatMap -Path (Join-Path $TestDrive "heat-$kind.png") -Map $kind -Overlay:($kind -ne 'TopClass')
            $file | Should -BeOfType System.IO.FileInfo
            $Fixtures::PngSize($file.FullName) | Should -Be @(451, 300)
        }
        { $m | Export-HeatMap -Path (Join-Path $TestDrive 'd.png') -Map Distance -ErrorAction Stop } | Should -Throw '*no Distance map*'
    }
}

Describe 'Invariance of a translation-equivariant layer' {
    BeforeAll {
        # conv (stride 1) - relu - conv (stride 2) - relu, zero padding: layer l3 moves one cell per 2 input pixels.
        $script:Equi = $Tiny::Chain([string[]]@('conv', 'relu', 'conv-s2', 'relu'), 64, 7)
        $script:Blob = Join-Path $TestDrive 'blob.png'
        # Content in the middle 24x24, black around it: shifts up to 8 keep it far from the border.
        $Fixtures::WritePattern($Blob, 64, 64, 20, 5)
    }

    It 'moves by <Direction> shifts exactly as the layer''s own output rolled by shift / jump predicts' -ForEach @(
        @{ Direction = 'Vertical' }, @{ Direction = 'Horizontal' }) {
        $shifts = -8, -6, -2, 0, 2, 4, 8
        $points = Measure-Invariance -Path $Blob -Model $Equi -Transform Translate -Direction $Direction -Range $shifts -Layer l3 -Fill Zero -BatchSize 3
        $points.Count | Should -Be $shifts.Count
        foreach ($p in $points) {
            $p.Layer | Should -Be 'l3'
            $predicted = $Fixtures::PredictedTranslationDistance($Equi, $Blob, 'l3', [int]$p.Amount, $Direction -eq 'Vertical')
            if ($p.Amount -eq 0) { $p.Distance | Should -BeLessThan 1e-4 -Because 'only float rounding between batch sizes'; continue }
            $predicted | Should -BeGreaterThan 1 -Because 'the check is only sharp if the layer changes'
            [math]::Abs($p.Distance - $predicted) / $predicted | Should -BeLessThan 1e-4 -Because "shift $($p.Amount) moves the map by $($p.Amount / 2) cells"
        }
        # Different shifts predict clearly different distances, so a wrong shift cannot pass.
        $d2 = $Fixtures::PredictedTranslationDistance($Equi, $Blob, 'l3', 2, $true)
        $d8 = $Fixtures::PredictedTranslationDistance($Equi, $Blob, 'l3', 8, $true)
        [math]::Abs($d8 - $d2) / $d2 | Should -BeGreaterThan 0.05
    }

    It 'reports the layers it was asked for, a low, middle and top one by default' {
        $points = Measure-Invariance -Path $Blob -Model $Equi -Transform Scale -Range 1, 1.5 -Fill Gray
        ($points.Layer | Select-Object -Unique) | Should -Be @('l0', 'l2', 'l3')
        ($points | Where-Object Amount -eq 1).Distance | ForEach-Object { $_ | Should -BeLessThan 1e-4 }
        ($points | Where-Object Amount -eq 1.5 | Where-Object Distance -gt 1e-3 | Where-Object Distance -gt 0).Count | Should -Be 3
        $points[0].Probability | Should -BeNullOrEmpty -Because 'a feature extractor has no class probability'
    }
}

Describe 'Real photos' {
    BeforeAll {
        $script:ResNet = Import-ConvModel -Architecture resnet18 -Device cpu
    }

    It 'measures occlusion on chelsea.png with resnet18 and draws the heat map over it' {
        $heat = Join-Path $TestDrive 'chelsea-heat.png'
        $m = Measure-OcclusionSensitivity -Path $Photo -Model $ResNet -PatchSize 48 -Stride 56 -Fill Gray -HeatMapPath $heat
        $m.ModelName | Should -Be 'resnet18'
        $m.Layer | Should -Be 'layer4'
        $m.Probability.Length | Should -Be ($m.Rows * $m.Cols)
        ($m.TopClass | Select-Object -Unique).Count | Should -BeGreaterOrEqual 1
        $Fixtures::PngSize($heat) | Should -Be @(451, 300)
        ($m | Format-Table | Out-String) | Should -Match 'chelsea.png'
    }

    It 'measures scale invariance on chelsea.png and charts it' {
        $chart = Join-Path $TestDrive 'chelsea-scale.png'
        $points = Measure-Invariance -LiteralPath $Photo -Model $ResNet -Transform Scale -Range 0.8, 1, 1.25 -ChartPath $chart
        $points.Count | Should -Be 9
        $points | Should -BeOfType ConvViz.InvariancePoint
        ($points | Where-Object Amount -eq 1).Distance | ForEach-Object { $_ | Should -BeLessThan 1e-3 }
        $points | ForEach-Object { $_.Probability | Should -BeGreaterThan 0 }
        $Fixtures::PngSize($chart) | Should -Be @(640, 800)
        Measure-Invariance -LiteralPath $Photo -Model $ResNet -Transform Scale -Range 0.8 -ChartPath (Join-Path $TestDrive 'w.png') -WhatIf | Should -HaveCount 3
        Join-Path $TestDrive 'w.png' | Should -Not -Exist
    }

    It 'uses the pretrained ResNet-18 (a feature extractor) by default' {
        $m = Measure-OcclusionSensitivity -Path $Photo -PatchSize 64 -Stride 56
        $m.Class | Should -BeNullOrEmpty
        $m.Distance.Length | Should -Be ($m.Rows * $m.Cols)
        ($m.Distance | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 0
        $points = Measure-Invariance -Path $Photo -Transform Translate -Range 0, 30
        ($points | Where-Object Amount -eq 0).Distance | ForEach-Object { $_ | Should -BeLessThan 1e-3 }
    }
}

Describe 'Correspondence analysis (section 4.3)' {
    BeforeAll {
        $script:Kit = Get-TestKitType 'TinyModels'
        # Bright random images, no black margin: every pixel is inside the content.
        $script:Faces = foreach ($i in 1..3) {
            $f = Join-Path $TestDrive "face$i.png"
            $Fixtures::WritePattern($f, 48, 48, 0, 40 + $i)
            $f
        }
    }

    It 'equals the sign-Hamming distance computed from Get-FeatureMap of copies the test occluded itself' {
        $model = Import-ConvModel -Architecture zfnet -Seed 3 -Device cpu
        $dir = Join-Path $TestDrive 'corr'
        $null = New-Item -ItemType Directory $dir
        $originals = foreach ($i in 1..3) { $f = Join-Path $dir "o$i.png"; $Fixtures::WritePattern($f, 256, 256, 0, 70 + $i); $f }
        # zfnet takes 256x256 (shorter side 256) and crops the centre 224: original (112, 80) is input (96, 64).
        # Independent reference: black box painted by ImageSharp, features from Get-FeatureMap one image at a time.
        $signs = foreach ($o in $originals) {
            $occluded = $o -replace 'o(\d)\.png$', 'x$1.png'
            $Fixtures::WriteOccluded($o, $occluded, 112, 80, 40, 40)
            $a = (Get-FeatureMap -LiteralPath $o -Model $model -Layer conv5).Values
            $b = (Get-FeatureMap -LiteralPath $occluded -Model $model -Layer conv5).Values
            $limit = 1e-5 * ($a | ForEach-Object { [math]::Abs($_) } | Measure-Object -Maximum).Maximum
            $s = [sbyte[]]::new($a.Count)
            for ($k = 0; $k -lt $a.Count; $k++) {
                $e = [double]$a[$k] - [double]$b[$k]
                $s[$k] = if ([math]::Abs($e) -le $limit) { 0 } else { [math]::Sign($e) }
            }
            , $s
        }
        $pairs = foreach ($p in @(@(0, 1), @(0, 2), @(1, 2))) {
            $x = $signs[$p[0]]; $y = $signs[$p[1]]; $d = 0
            for ($k = 0; $k -lt $x.Count; $k++) { if ($x[$k] -ne $y[$k]) { $d++ } }
            $d / $x.Count
        }
        $expected = ($pairs | Measure-Object -Average).Average
        $r = $originals | Measure-Correspondence -Region 112, 80, 40, 40 -Model $model -Layer conv5 -Fill Zero -RandomTrials 0
        $r | Should -HaveCount 1
        $r.Layer | Should -Be 'conv5'
        $r.Images | Should -Be 3
        $r.Pairs | Should -Be 3
        $r.Features | Should -Be (256 * 13 * 13)
        [math]::Abs($r.Consistency - $expected) | Should -BeLessThan 1e-4
        $expected | Should -BeGreaterThan 0.01 -Because 'the occluder changes conv5 and the images differ'
        $r.RandomConsistency | Should -BeNullOrEmpty
    }

    It 'gives 0 for a positive filter on positive images, where the same part always moves every feature it reaches the same way' {
        # All weights positive, no bias: a black square lowers exactly the units whose field meets it, in every image alike.
        $rng = [Random]::new(5)
        $w = [float[]]@(foreach ($i in 1..(4 * 3 * 5 * 5)) { 0.05 + $rng.NextDouble() })
        $model = $Kit::SingleConv($w, [float[]]::new(4), 4, 5, 1, 2, 48, 48)
        $r = $Faces | Measure-Correspondence -Region 10, 20, 8, 8 -Model $model -Fill Zero -RandomTrials 6 -Seed 1
        $r.Layer | Should -Be 'conv1'
        $r.Consistency | Should -Be 0
        $r.ConsistencyStdDev | Should -Be 0
        # Random squares land in different places in different images: their changes differ.
        $r.RandomConsistency | Should -BeGreaterThan 0.01
        $r.Ratio | Should -Be 0
        # The same seed repeats the control exactly; another seed does not.
        ($Faces | Measure-Correspondence -Region 10, 20, 8, 8 -Model $model -Fill Zero -RandomTrials 6 -Seed 1).RandomConsistency | Should -Be $r.RandomConsistency
        ($Faces | Measure-Correspondence -Region 10, 20, 8, 8 -Model $model -Fill Zero -RandomTrials 6 -Seed 2).RandomConsistency | Should -Not -Be $r.RandomConsistency
    }

    It 'compares different places in different images through each image''s own geometry' {
        # The same content at different offsets in bigger canvases: regions that follow the content agree exactly.
        $rng = [Random]::new(5)
        $w = [float[]]@(foreach ($i in 1..(4 * 3 * 5 * 5)) { 0.05 + $rng.NextDouble() })
        $model = $Kit::SingleConv($w, [float[]]::new(4), 4, 5, 1, 2, 48, 48)
        # Stretched to 48x48: a 96x96 image at scale 1/2 and a 72x72 one at 2/3, so these regions are input pixels 20..27.
        $big = Join-Path $TestDrive 'big [1].png'
        $Fixtures::WritePattern($big, 96, 96, 0, 98)   # brackets: bound as LiteralPath, never as a wildcard
        $odd = Join-Path $TestDrive 'odd.png'
        $Fixtures::WritePattern($odd, 72, 72, 0, 99)
        $rows = @(
            [pscustomobject]@{ Path = $Faces[0]; Part = 'a'; Region = '10,20,8,8' }
            [pscustomobject]@{ Path = $Faces[1]; Part = 'a'; Region = '30,4,8,8' }
            [pscustomobject]@{ Path = $Faces[2]; Part = 'a'; Region = '20,20,8,8' }
            [pscustomobject]@{ Path = $Faces[0]; Part = 'b'; Region = '20,20,8,8' }
            [pscustomobject]@{ LiteralPath = $big; Part = 'b'; Region = '40,40,16,16' }
            [pscustomobject]@{ LiteralPath = $odd; Part = 'b'; Region = '30 30 12 12' }
        )
        $r = $rows | Measure-Correspondence -Model $model -Fill Zero -RandomTrials 0
        $r.Part | Should -Be @('a', 'b')
        ($r | Where-Object Part -EQ 'b').Consistency | Should -Be 0
        ($r | Where-Object Part -EQ 'a').Consistency | Should -BeGreaterThan 0.01 -Because 'different places change different units'
        ($r | Where-Object Part -EQ 'b').ImagePaths | Should -Be @($Faces[0], $big, $odd)
        ($r | Where-Object Part -EQ 'b').Pairs | Should -Be 3
    }

    It 'reports a bad region or a bad image for that image only, and a part with one image when the input ends' {
        $model = $Kit::SingleConv([float[]]::new(4 * 3 * 5 * 5), [float[]]::new(4), 4, 5, 1, 2, 48, 48)
        $junk = Join-Path $TestDrive 'junk.png'
        Set-Content -LiteralPath $junk -Value 'not an image'
        $rows = @(
            [pscustomobject]@{ Path = $Faces[0]; Part = 'eye'; Region = '10,10,8,8' }
            [pscustomobject]@{ Path = $Faces[1]; Part = 'eye'; Region = '45,10,8,8' }
            [pscustomobject]@{ Path = $junk; Part = 'eye'; Region = '10,10,8,8' }
            [pscustomobject]@{ Path = $Faces[2]; Part = 'eye'; Region = '10,10,8,8' }
            [pscustomobject]@{ Path = $Faces[2]; Part = 'nose'; Region = '10,10,8,8' }
        )
        $r = $rows | Measure-Correspondence -Model $model -RandomTrials 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r | Should -HaveCount 1
        $r.Part | Should -Be 'eye'
        $r.Images | Should -Be 2
        $errs | Should -HaveCount 3
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRegion,*'
        $errs[0].Exception.Message | Should -BeLike "*x 45, y 10, 8x8*face2.png*48x48*"
        $errs[1].FullyQualifiedErrorId | Should -BeLike 'ImageReadFailed,*'
        $errs[1].Exception.Message | Should -BeLike '*junk.png*'
        $errs[2].FullyQualifiedErrorId | Should -BeLike 'TooFewImages,*'
        $errs[2].Exception.Message | Should -BeLike "*'nose' has 1 image*at least 2*"
    }

    It 'refuses a region that is not 4 integers and an unknown layer before any work' {
        { Measure-Correspondence -Path $Faces[0] -Region 1, 2, 3 -Model zfnet } | Should -Throw '*4 integers X, Y, Width, Height*got 3*'
        { Measure-Correspondence -Path $Faces[0] -Region '1,2,x,4' -Model zfnet } | Should -Throw "*'x'*not an integer*"
        { Measure-Correspondence -Path $Faces[0] -Region 1, 2, 3, 4 -Model zfnet -Layer conv9 -ErrorAction Stop } | Should -Throw '*conv9*Did you mean*'
    }
}

Describe 'Errors name the input and the reason' {
    It 'an unreadable image is a non-terminating ImageReadFailed naming the file' {
        $bad = Join-Path $TestDrive 'not-an-image.png'
        Set-Content $bad 'hello'
        $null = Measure-OcclusionSensitivity -LiteralPath $bad -Model zfnet -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageReadFailed*'
        $err[0].Exception.Message | Should -BeLike "*not-an-image.png*not an image*"
    }

    It 'an unknown class name is refused with the nearest names' {
        { Measure-OcclusionSensitivity -Path $Photo -Model zfnet -Class 'tigr cat' -ErrorAction Stop } | Should -Throw "*no class named 'tigr cat'*tiger cat*"
    }

    It 'a patch larger than the input is refused, naming the limit' {
        $model = $Fixtures::RegionClassifier(16, 0, 0, 4, 8)
        $img = Join-Path $TestDrive 'small.png'
        $Fixtures::WritePattern($img, 16, 16, 0, 6)
        { Measure-OcclusionSensitivity -Path $img -Model $model -PatchSize 20 -ErrorAction Stop } | Should -Throw '*PatchSize must be 1..16*'
    }

    It 'a class for a feature extractor is refused' {
        $img = Join-Path $TestDrive 'blob2.png'
        $Fixtures::WritePattern($img, 64, 64, 20, 5)
        $chain = $Tiny::Chain([string[]]@('conv'), 64, 1)
        { Measure-Invariance -Path $img -Model $chain -Transform Rotate -Class 3 -ErrorAction Stop } | Should -Throw '*outputs Features*no classes*'
    }
}

Describe 'Help' {
    It '<Command> has examples that run' -ForEach @(
        @{ Command = 'Measure-OcclusionSensitivity' }, @{ Command = 'Export-HeatMap' }, @{ Command = 'Measure-Invariance' }, @{ Command = 'Measure-Correspondence' }) {
        $help = Get-Help $Command -Full
        $help.examples.example.Count | Should -BeGreaterThan 0
        foreach ($example in $help.examples.example) {
            $code = ($example.code | Out-String).Trim()
            $result = & ([scriptblock]::Create($code))
            $result | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' must produce output"
        }
        $help.parameters.parameter | ForEach-Object { ($_.description | Out-String).Trim() | Should -Not -BeNullOrEmpty }
        # Only the occlusion and correspondence cmdlets speak of the paper's section 4.3.
        $notes = $help.alertSet | Out-String
        if ($Command -in 'Measure-OcclusionSensitivity', 'Measure-Correspondence') { $notes | Should -Match 'section 4.3' }
        else { $notes | Should -Not -Match 'section 4.3' }
    }
}
