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
.warning{background:#fff3cd;border:1px solid #e0c060;padding:.5em .8em;color:#5a4500}
#jump{margin:.4em 0}#jump-msg{color:#b00}
.cells a{position:absolute;box-sizing:border-box}
.cells a:hover{outline:2px solid #e33}
figure.unit figcaption a{font-weight:600;text-decoration:none}
.detail{display:none;background:#fff;border:2px solid #888;padding:.5em 1em;margin:1em 0}
.detail:target,.detail:has(:target){display:block}
body:has(.detail:target)>:not(#details):not(#jump),body:has(.detail :target)>:not(#details):not(#jump){display:none}
.detail .dnav{font-size:15px}.detail .dnav a{text-decoration:none;padding:0 .3em}
.detail h3{margin:.3em 0}.detail h3 small{font-weight:400;color:#555}
.detail .item{border-top:1px solid #ddd;padding:.4em 0}.detail .item:target{background:#fffbe6}
.detail .rank{margin:.2em 0}
.detail .row{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
.detail .row figure{margin:0}.detail .row figcaption{font-size:12px;color:#444;max-width:240px}
.detail img{image-rendering:auto;display:block}
.photo{position:relative;background-size:100% 100%;background-color:#222}
.photo span{position:absolute;box-sizing:border-box}
.photo .box{border:2px solid #f22}.photo .field{border:1px dashed #ff0;box-shadow:0 0 0 1px #000}
""";

    // Sets data-images-* on <body> after load so a headless browser's --dump-dom can check the
    // pictures. With #selftest it first opens every <details> and loads every lazy image; it polls
    // with timers (not decode() promises) so a headless browser's virtual time waits for it.
    // Also: links open what they point to (every <details> around the target), keyboard moves
    // between units and layers in a detail view, and the jump box opens "layer3 #17".
    public const string Script = """
(function(){
function count(){var im=[].slice.call(document.images),ok=0,bad=0,wait=0;
im.forEach(function(i){if(!i.complete)wait++;else if(i.naturalWidth>0)ok++;else bad++;});
var d=document.body.dataset;d.imagesTotal=im.length;d.imagesLoaded=ok;d.imagesBroken=bad;d.imagesPending=wait;}
function target(){var id=location.hash.slice(1);if(!id)return null;try{id=decodeURIComponent(id);}catch(e){}return document.getElementById(id);}
function reveal(){var t=target();if(!t)return;for(var e=t;e;e=e.parentElement){if(e.tagName==='DETAILS')e.open=true;}
var d=t.closest('.detail');if(d){var im=d.querySelectorAll('img');for(var i=0;i<im.length;i++)im[i].loading='eager';}
t.scrollIntoView();document.body.dataset.shown=t.id;}
window.addEventListener('hashchange',reveal);
function current(){var t=target();return t?t.closest('.detail'):null;}
document.addEventListener('keydown',function(e){
if(e.target&&/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName))return;if(e.ctrlKey||e.metaKey||e.altKey)return;
var d=current(),sel={ArrowRight:'a.next',ArrowLeft:'a.prev',ArrowDown:'a.nextlayer',ArrowUp:'a.prevlayer',Escape:'a.up',n:'a.next',p:'a.prev'}[e.key];
if(!sel)return;
if(!d){if(e.key==='ArrowRight'||e.key==='n'){var f=document.querySelector('section.detail');if(f){location.hash=f.id;e.preventDefault();}}return;}
var a=d.querySelector('.dnav '+sel);if(a){location.hash=a.getAttribute('href').slice(1);e.preventDefault();}
});
var form=document.getElementById('jump');
if(form)form.addEventListener('submit',function(e){e.preventDefault();
var v=document.getElementById('jump-to').value.trim(),m=v.match(/^(.*?)[\s#]+#?(\d+)$/),msg=document.getElementById('jump-msg');
if(!m){msg.textContent='Type a layer and a unit, like "layer3 #17".';return;}
var name=m[1].toLowerCase(),unit=m[2],all=document.querySelectorAll('section.detail');
for(var i=0;i<all.length;i++){if(all[i].dataset.layer.toLowerCase()===name&&all[i].dataset.unit===unit){msg.textContent='';location.hash=all[i].id;return;}}
msg.textContent='No unit '+unit+' of '+m[1]+' in this report.';});
window.addEventListener('load',function(){
reveal();
if(location.hash!=='#selftest'){count();return;}
document.querySelectorAll('details').forEach(function(d){d.open=true;});
var im=[].slice.call(document.images);im.forEach(function(i){i.loading='eager';});
var tries=0;
(function wait(){if(im.every(function(i){return i.complete;})||++tries>600){count();document.body.dataset.selftest='done';}else{setTimeout(wait,50);}})();
});
})();
""";
}
