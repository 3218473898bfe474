"""The web demo: paste, upload or link news articles and read one cited briefing per event.

    python app.py                         # http://127.0.0.1:7860
    python app.py --host 0.0.0.0 --port 8080 --config fast --config default
    SUMMARISE_HOST=0.0.0.0 SUMMARISE_PORT=8080 python app.py

The page calls the same library as the CLI (summarise.Pipeline(config).run(inputs)); one Pipeline
per config is kept for the life of the process, so models load once, not per request. Requests
queue and run one at a time (the models use every CPU core).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a closed network

try:
    import gradio as gr
except ImportError:
    sys.exit("app.py: the web demo needs Gradio: pip install 'summarise[web]'")

from summarise.render.html import placeholder  # noqa: E402
from summarise.render.style import PAGE_CSS as CSS  # noqa: E402
from summarise.web import UPLOAD_TYPES, Limits, run_request  # noqa: E402

SEEDS = Path(__file__).resolve().parent / "seeds"
CONFIG_LABELS = {
    "fast": "fast: quotes the best source sentence for each fact (quick)",
    "default": "default: the model writes each sentence, checked against its sources (about 40-80 s for five articles on a 2-core CPU)",
}


def build_app(configs: list[str], limits: Limits = Limits(), allow_private_urls: bool = False,
              demo_dir: Path = SEEDS) -> gr.Blocks:
    choices = [(CONFIG_LABELS.get(c, f"{Path(c).stem} (config file {Path(c).name})"), c) for c in configs]

    def respond(config, pasted, files, urls, use_demo, progress):
        result = run_request(config, pasted, files, urls, limits, allow_private_urls=allow_private_urls,
                             demo_dir=demo_dir if use_demo else None,
                             progress=lambda fraction, message: progress(fraction, desc=message))
        ready = result.markdown_path is not None
        return (result.html,
                gr.DownloadButton(value=result.markdown_path, visible=ready),
                gr.DownloadButton(value=result.json_path, visible=ready))

    def brief(config, pasted, files, urls, progress=gr.Progress(track_tqdm=True)):
        return respond(config, pasted, files, urls, False, progress)

    def brief_demo(config, progress=gr.Progress(track_tqdm=True)):
        return respond(config, "", None, "", True, progress)

    with gr.Blocks(title="summarise: cited news briefings", analytics_enabled=False) as app:
        gr.HTML('<header class="sb-header"><h1>summarise: cited news briefings</h1>'
                '<p>Give it news articles; it groups them by event and writes a short, neutral briefing '
                'for each, in which every sentence cites the articles that support it.</p>'
                '<p class="sb-steps"><span><b>1</b> Try the demo articles, or paste, upload or link your '
                'own.</span> <span><b>2</b> Press “Write the briefing”.</span> <span><b>3</b> Click a citation '
                'number to see the source sentence, highlighted in its article.</span></p></header>',
                js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                demo_button = gr.Button(f"Try the demo articles ({len(list(demo_dir.glob('*')))} news reports)",
                                        variant="secondary", elem_id="demo-button")
                pasted = gr.Textbox(label="Paste articles", lines=6, max_lines=14, elem_id="paste",
                                    placeholder="Paste one article, or several separated by a line holding only ---")
                files = gr.File(label="Or upload files", file_count="multiple", file_types=list(UPLOAD_TYPES),
                                type="filepath", elem_id="upload")
                urls = gr.Textbox(label="Or give article URLs, one per line", lines=2, elem_id="urls",
                                  placeholder="https://example.com/news/story")
                config = gr.Radio(choices, value=configs[0], label="Config", elem_id="config")
                run_button = gr.Button("Write the briefing", variant="primary", elem_id="run-button")
                gr.HTML(f'<p class="sb-limits">Limits: {limits.describe()} Article text is shown as text; '
                        f'nothing in it runs.</p>', js_on_load=None)
            with gr.Column(scale=3, min_width=320):
                with gr.Row():
                    download_md = gr.DownloadButton("Download Markdown", visible=False, size="sm",
                                                    elem_id="download-md")
                    download_json = gr.DownloadButton("Download JSON", visible=False, size="sm",
                                                      elem_id="download-json")
                output = gr.HTML(placeholder(), elem_id="briefing", js_on_load=None)
        outputs = [output, download_md, download_json]
        # one queue slot for both buttons: a run already uses every core
        run_button.click(brief, [config, pasted, files, urls], outputs, concurrency_id="pipeline",
                         concurrency_limit=1)
        demo_button.click(brief_demo, [config], outputs, concurrency_id="pipeline", concurrency_limit=1)
    app.queue(max_size=20)
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the summarise web demo (Gradio).")
    parser.add_argument("--host", default=os.environ.get("SUMMARISE_HOST", "127.0.0.1"),
                        help="address to listen on (env SUMMARISE_HOST; default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=os.environ.get("SUMMARISE_PORT", "7860"),
                        help="port (env SUMMARISE_PORT; default: %(default)s)")
    parser.add_argument("--config", action="append", metavar="NAME_OR_PATH",
                        help="a config offered in the page, by name or .toml path; repeat for several, the "
                             "first is preselected (default: fast, then default)")
    parser.add_argument("--allow-private-urls", action="store_true",
                        default=os.environ.get("SUMMARISE_ALLOW_PRIVATE_URLS") == "1",
                        help="let URL inputs reach local and private network addresses (env "
                             "SUMMARISE_ALLOW_PRIVATE_URLS=1); off by default so the demo cannot be used "
                             "to probe the machine's own network")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from summarise.config import ConfigError, load_config

    configs = args.config or ["fast", "default"]
    try:
        for config in configs:
            load_config(config)  # a typo fails here, at start, not in a user's request
    except ConfigError as exc:
        print(f"app.py: {exc}", file=sys.stderr)
        return 2
    limits = Limits()
    app = build_app(configs, limits, args.allow_private_urls)
    app.launch(server_name=args.host, server_port=args.port, css=CSS, ssr_mode=False,
               max_file_size=f"{limits.max_file_mb}mb", footer_links=["api", "settings"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
