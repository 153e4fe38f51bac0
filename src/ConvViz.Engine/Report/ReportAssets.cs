namespace ConvViz.Engine.Report;

/// <summary>The report's inline stylesheet and script: no external resources, so it opens offline.</summary>
internal static class ReportAssets
{
    // content-visibility skips layout and paint of off-screen units; the intrinsic size keeps
    // the scrollbar honest. <details> per layer and per page keeps 2,000 units responsive.
    public const string Css = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1400px;padding:1em 2em;color:#222;background:#fafafa}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc}
nav ul{columns:3;list-style:none;padding:0}nav a{text-decoration:none}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
details{margin:.4em 0}summary{cursor:pointer;font-weight:600;padding:.2em 0}
details.page>summary{font-weight:400;color:#555}
.units{display:flex;flex-wrap:wrap;gap:10px}
figure{margin:0}
figure.unit{content-visibility:auto;background:#fff;border:1px solid #ddd;padding:4px}
figure.unit figcaption,figure.shot figcaption{font-size:12px;color:#444}
.cells{position:relative;line-height:0}
.cells img{display:block;image-rendering:auto}
.cells span{position:absolute;box-sizing:border-box}
.cells span:hover{outline:2px solid #e33}
.shots{display:flex;flex-wrap:wrap;gap:12px}
figure.shot{background:#fff;border:1px solid #ddd;padding:4px}
.note{color:#666}.missing{color:#999;text-align:center}
""";

    // Sets data-images-* on <body> after load so a headless browser's --dump-dom can check the
    // pictures. With #selftest it first opens every <details> and loads every lazy image; it polls
    // with timers (not decode() promises) so a headless browser's virtual time waits for it.
    public const string Script = """
(function(){
function count(){var im=[].slice.call(document.images),ok=0,bad=0,wait=0;
im.forEach(function(i){if(!i.complete)wait++;else if(i.naturalWidth>0)ok++;else bad++;});
var d=document.body.dataset;d.imagesTotal=im.length;d.imagesLoaded=ok;d.imagesBroken=bad;d.imagesPending=wait;}
window.addEventListener('load',function(){
if(location.hash!=='#selftest'){count();return;}
document.querySelectorAll('details').forEach(function(d){d.open=true;});
var im=[].slice.call(document.images);im.forEach(function(i){i.loading='eager';});
var tries=0;
(function wait(){if(im.every(function(i){return i.complete;})||++tries>600){count();document.body.dataset.selftest='done';}else{setTimeout(wait,50);}})();
});
})();
""";
}
