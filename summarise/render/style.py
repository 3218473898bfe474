"""Style sheets: the briefing's (shared by the standalone document and the web page's fragment),
the demo page's own header, and the standalone document's page frame. Gradio supplies the colour
variables on the web page; the standalone document sets them itself.
"""

BRIEFING_CSS = """
.sb-briefing{font:17px/1.6 Georgia,'Times New Roman',serif;color:var(--body-text-color);max-width:48rem}
.sb-briefing h2{font:600 1.25rem/1.3 system-ui,sans-serif;margin:1.2rem 0 .2rem}
.sb-event{border-top:3px solid var(--body-text-color);padding-top:.4rem;margin-bottom:1.5rem}
.sb-event-n{display:inline-block;min-width:1.6rem;color:var(--body-text-color-subdued)}
.sb-summary,.sb-meta{font:.85rem/1.4 system-ui,sans-serif;color:var(--body-text-color-subdued);margin:.2rem 0}
.sb-sentences{padding-left:1.2rem;margin:.6rem 0}
.sb-sentence{margin:.45rem 0}
.sb-cites{white-space:normal}
details.sb-cite{display:inline}
/* a closed <details> still holds a block box for its content, which would put each marker on its own line */
details.sb-cite::details-content{display:inline}
details.sb-cite:not([open])::details-content{display:none}
details.sb-cite>summary{display:inline-block;list-style:none;cursor:pointer;font:600 .72rem/1 system-ui,sans-serif;
  vertical-align:super;padding:.15rem .35rem;margin:0 .1rem;border-radius:.6rem;background:#e8eef7;color:#1a4f8b;
  border:1px solid #b8cbe6}
details.sb-cite>summary::-webkit-details-marker{display:none}
details.sb-cite>summary:hover,details.sb-cite[open]>summary{background:#1a4f8b;color:#fff}
details.sb-cite>summary:focus-visible{outline:2px solid #1a4f8b;outline-offset:2px}
.sb-cite-panel{display:block;margin:.4rem 0 .6rem;padding:.6rem .8rem;border-left:4px solid #1a4f8b;
  background:var(--background-fill-secondary);font-size:.95rem}
.sb-cite-head{font:.85rem/1.4 system-ui,sans-serif;margin:0 0 .3rem!important}
.sb-context{margin:0!important;padding:0!important;border:0!important;white-space:pre-wrap}
mark.sb-evidence{background:#ffe58a;color:#1b1b1b;padding:0 .1rem}
.sb-num{display:inline-block;min-width:1.3rem;font:600 .8rem/1.4 system-ui,sans-serif;color:#1a4f8b}
details.sb-whole>summary{cursor:pointer;font:.85rem/1.6 system-ui,sans-serif;color:#1a4f8b}
.sb-article-text{white-space:pre-wrap;max-height:24rem;overflow:auto;padding:.5rem;margin-top:.3rem;
  border:1px solid var(--border-color-primary);background:var(--background-fill-primary);font-size:.92rem}
.sb-sources>summary{cursor:pointer;font:600 .9rem/1.6 system-ui,sans-serif}
.sb-source-list{list-style:none;padding:0;margin:.3rem 0}
.sb-source{display:flex;gap:.4rem;margin:.4rem 0;font:.9rem/1.45 system-ui,sans-serif}
.sb-source>div{min-width:0;flex:1}
.sb-badge{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:.5rem;background:#fde2e1;color:#8a1c17}
.sb-rejected h2{font:600 1.1rem/1.3 system-ui,sans-serif}
.sb-table-wrap{max-height:20rem;overflow:auto}
.sb-rejected table{border-collapse:collapse;font:.85rem/1.4 system-ui,sans-serif;width:100%}
.sb-rejected td,.sb-rejected th{border-bottom:1px solid var(--border-color-primary);padding:.3rem;text-align:left;
  vertical-align:top}
.sb-input{word-break:break-all;max-width:16rem}
.sb-notice{padding:.7rem 1rem;border-radius:.4rem;margin:.5rem 0;font:.95rem/1.4 system-ui,sans-serif}
.sb-error{background:#fde2e1;color:#8a1c17;border:1px solid #f3b1ad}
.sb-warning{background:#fff4d6;color:#6b4a00;border:1px solid #f0d48a}
.dark details.sb-whole>summary,.dark .sb-num{color:#8fb8ee}
.dark .sb-cite-panel{border-left-color:#8fb8ee}
@media (max-width:640px){.sb-briefing{font-size:16px}.sb-sentences{padding-left:1rem}}
.sb-story{font:italic .9rem/1.4 system-ui,sans-serif;color:var(--body-text-color-subdued);margin:.2rem 0}
.sb-new{font:600 .72rem/1 system-ui,sans-serif;text-transform:uppercase;color:#0a5;margin-right:.2rem}
.sb-bg{color:var(--body-text-color-subdued)}
"""

# the demo page around the briefing (app.py)
PAGE_CSS = """
.sb-header h1{font-size:1.6rem;margin:.2rem 0}
.sb-header p{margin:.2rem 0;max-width:48rem}
.sb-header .sb-steps{margin-top:.5rem;font-size:.9rem}
.sb-steps span{display:inline-block;margin-right:1.2rem}
.sb-steps b{display:inline-block;width:1.3rem;height:1.3rem;line-height:1.3rem;text-align:center;border-radius:50%;
  background:#1a4f8b;color:#fff;font-size:.75rem;margin-right:.3rem}
.sb-limits{font-size:.85rem;color:var(--body-text-color-subdued)}
.sb-empty{color:var(--body-text-color-subdued);font:.95rem/1.5 system-ui,sans-serif;padding:1rem 0}
""" + BRIEFING_CSS

# the standalone document (brief --format html, daily's DAY.html): a page frame and the colours
DOCUMENT_CSS = """
:root{--body-text-color:#1b1b1b;--body-text-color-subdued:#555;--background-fill-primary:#fff;
  --background-fill-secondary:#f5f5f2;--border-color-primary:#ddd}
body{margin:2rem auto;padding:0 1rem;max-width:48rem;background:var(--background-fill-primary)}
h1{font:600 1.6rem/1.3 system-ui,sans-serif;margin:0 0 .3rem}
""" + BRIEFING_CSS
