"""How fast the web pages load from the local server, on the sample corpus.

Usage::

    python benchmarks/page_benchmark.py [--db FILE] [--repeat 20] [--no-browser] [--write-docs]

The sample corpus is ingested into a temporary knowledge base (or ``--db`` is
used as it is), ``fangzhi serve``'s app runs under uvicorn on a free local
port, and every page of the fixed set is fetched once (the baseline: nothing cached
yet) and then ``--repeat`` times over HTTP: the time to the last byte of the
HTML.  With
Chromium at /usr/bin/chromium each page is also opened in the browser, and the
navigation timing (request start to the ``load`` event: HTML, CSS, htmx and
layout) is recorded.  The target is 200 ms; the script exits with status 1 if
a page's median misses it.  ``--write-docs`` replaces the pages section of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import fangzhi
from fangzhi.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "sample" / "pingdingshan-yearbook-2024.txt", ROOT / "sample" / "pingdingshan-gazette-2024-01.txt"]
DOCS = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- page-benchmark:start -->"
END_MARK = "<!-- page-benchmark:end -->"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET_MS = 200.0


def pages(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """The pages a reader opens, chosen from whatever the knowledge base holds (largest of each kind)."""
    volumes = kb.volumes()
    yearbook = next((volume for volume in volumes if volume.kind == "yearbook"), volumes[0])
    chapters = list(kb.nodes(volume=yearbook.id, kind="chapter"))
    entries = list(kb.nodes(volume=yearbook.id, kind="entry"))
    longest_entry = max(entries, key=lambda node: len(node.text))
    widest_chapter = max(chapters, key=lambda node: node.line_end - node.line_start)
    chronicle = next(iter(kb.nodes(kind="chronicle")), None)
    documents = list(kb.nodes(kind="document"))
    chosen = [
        ("home", "/"),
        ("volume (table of contents)", f"/volumes/{yearbook.id}"),
        ("chapter (longest)", f"/nodes/{widest_chapter.id}"),
        ("entry (longest)", f"/nodes/{longest_entry.id}"),
        ("search 汝瓷", "/search?q=" + quote("汝瓷")),
        ("search as you type (htmx fragment)", "/search?q=" + quote("汝瓷 宝丰")),
        ("timeline, one month", "/timeline?month=2023-11"),
        ("timeline, all", "/timeline"),
        ("documents", "/documents"),
        ("appointments", "/appointments"),
        ("lists", "/lists"),
        ("tables", "/tables"),
        ("校对 (check report)", "/check"),
        ("校对, one kind", "/check?kind=value_conflict"),
        ("targets", "/targets"),
        ("targets, one status", "/targets?status=met"),
        ("subject index", f"/volumes/{yearbook.id}/index"),
        ("people register", "/people"),
        ("organizations register", "/organizations"),
        ("places register", "/places"),
        ("rules", "/rules"),
        ("API: search", "/api/search?q=" + quote("汝瓷")),
        ("API: node", f"/api/nodes/{longest_entry.id}"),
        ("API: check", "/api/check"),
        ("API: targets", "/api/targets"),
    ]
    if chronicle is not None:
        chosen.insert(4, ("chronicle (every event inline)", f"/nodes/{chronicle.id}"))
    if documents:
        longest_document = max(documents, key=lambda node: node.line_end - node.line_start)
        chosen.insert(5, ("gazette document (longest)", f"/nodes/{longest_document.id}"))
    return chosen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(kb: KnowledgeBase) -> tuple[str, object, threading.Thread]:
    import uvicorn

    from fangzhi.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(kb), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def fetch_ms(url: str, headers: dict[str, str]) -> float:
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def measure_http(
    base: str, chosen: list[tuple[str, str]], repeat: int
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """The first request of each page (the baseline: whatever it computes, nothing cached yet), then ``repeat`` more."""
    first, results = {}, {}
    for name, path in chosen:
        headers = {"HX-Request": "true"} if "htmx" in name else {}
        first[name] = fetch_ms(base + path, headers)
        results[name] = [fetch_ms(base + path, headers) for _ in range(repeat)]
    return first, results


def measure_browser(base: str, chosen: list[tuple[str, str]], repeat: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        for name, path in chosen:
            if path.startswith("/api/") or "htmx" in name:
                continue
            page.goto(base + path)
            samples = []
            for _ in range(max(3, repeat // 4)):
                page.goto(base + path, wait_until="load")
                timing = page.evaluate(
                    "(() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return n.loadEventEnd - n.requestStart; })()"
                )
                samples.append(float(timing))
            results[name] = samples
        browser.close()
    return results


def _size_kb(base: str, path: str) -> float:
    with urllib.request.urlopen(base + path) as response:
        return len(response.read()) / 1024


def report(
    first: dict[str, float],
    http: dict[str, list[float]],
    browser: dict[str, list[float]],
    sizes: dict[str, float],
    repeat: int,
) -> str:
    lines = [
        "## Web pages",
        "",
        "Generated by `python benchmarks/page_benchmark.py --write-docs`: the sample corpus (yearbook + gazette) "
        "served by `fangzhi serve`'s app under uvicorn on 127.0.0.1, fetched from the same machine.",
        f"Server: time to the last byte of the HTML, median and slowest of {repeat} requests after the first. "
        "The first request is the baseline, measured in the same run: pages in the same order, so it computes "
        "what nothing before it did (the check report, the targets register, the subject index, the registers "
        "are then kept per store while its volumes stay the same; `fangzhi/services/computed.py`). "
        "Browser: Chromium navigation timing from request start to the `load` event (HTML, CSS, htmx, layout), "
        "median of repeated loads.",
        f"Target: every page under {TARGET_MS:.0f} ms.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}.",
        "",
        "| page | HTML size | first request | server median | server slowest | browser load median |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, samples in http.items():
        loaded = f"{statistics.median(browser[name]):.0f} ms" if name in browser else "–"
        lines.append(
            f"| {name} | {sizes[name]:.0f} KB | {first[name]:.1f} ms | {statistics.median(samples):.1f} ms "
            f"| {max(samples):.1f} ms | {loaded} |"
        )
    return "\n".join(lines)


def write_docs(section: str) -> None:
    block = f"{START_MARK}\n{section}\n{END_MARK}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        text = before + block + rest.split(END_MARK, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="Use this knowledge base instead of ingesting the sample corpus.")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="Measure over HTTP only.")
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args(arguments)
    with tempfile.TemporaryDirectory() as directory:
        path = options.db or Path(directory) / "sample.db"
        if options.db is None:
            with fangzhi.open(path) as kb:
                for sample in SAMPLES:
                    kb.ingest(sample)
        kb = fangzhi.open(path, create=False)
        chosen = pages(kb)
        base, server, thread = serve(kb)
        try:
            first, http = measure_http(base, chosen, options.repeat)
            sizes = {name: _size_kb(base, path) for name, path in chosen}
            use_browser = not options.no_browser and CHROMIUM.exists()
            browser = measure_browser(base, chosen, options.repeat) if use_browser else {}
        finally:
            server.should_exit = True  # type: ignore[attr-defined]
            thread.join(timeout=10)
            kb.close()
    section = report(first, http, browser, sizes, options.repeat)
    print(section)
    if options.write_docs:
        write_docs(section)
    slow = [name for name, samples in http.items() if statistics.median(samples) > TARGET_MS]
    slow += [name for name, samples in browser.items() if statistics.median(samples) > TARGET_MS]
    if slow:
        print(f"slower than {TARGET_MS:.0f} ms: {', '.join(sorted(set(slow)))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
