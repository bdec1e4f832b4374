#!/usr/bin/env python3
"""Loads a page in headless Chromium and reports, as JSON on stdout, what a person sees.

Usage: measure.py CHROMIUM PAGE.html SHOT.png light|dark [WIDTH]

Drives Chromium over the DevTools protocol on `--remote-debugging-pipe` (fd 3: commands to the
browser, fd 4: its answers, each message JSON ended by a NUL byte): Python's standard library
only, nothing to install but the browser. The page's colour scheme is set by emulating
`prefers-color-scheme`; a full-page screenshot (at most 8,000 px tall) goes to SHOT.png, and its top down to the
charts' end to SHOT-charts.png. Exits non-zero, saying why, on any failure, and gives up
after 90 seconds.
"""

import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time

DEADLINE = time.monotonic() + 90

# Run in the page: the charts' sizes, the monthly bars and the boxes of their labels, the
# colours the page resolves to, and any script that got in.
PROBE = r"""
(() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  const charts = [...document.querySelectorAll('svg.chart')].map((s) => (
    {class: s.getAttribute('class'), ...box(s)}));
  const monthly = document.querySelector('svg.monthly');
  const bars = monthly ? [...monthly.querySelectorAll('rect.bar')] : [];
  const labels = monthly ? [...monthly.querySelectorAll('text.month')] : [];
  const style = (e, p) => e ? getComputedStyle(e).getPropertyValue(p) : null;
  const links = [...document.querySelectorAll('table.incidents a')].map((a) => (
    {href: a.href, text: a.textContent}));
  return {
    title: document.title,
    h1: document.querySelector('h1')?.textContent,
    charts,
    bars: bars.length,
    bar_heights: bars.map((b) => b.getBoundingClientRect().height),
    bar_fill: style(bars[0], 'fill'),
    labels: labels.map((t) => ({text: t.textContent, ...box(t)})),
    label_fill: style(labels[0], 'fill'),
    chart_background: style(monthly, 'background-color'),
    body_background: style(document.body, 'background-color'),
    body_color: style(document.body, 'color'),
    dots: document.querySelectorAll('svg.resolve circle.dot').length,
    dot_fills: [...new Set([...document.querySelectorAll('svg.resolve g.row')].map(
      (g) => getComputedStyle(g.querySelector('circle.dot') || g).getPropertyValue('fill')))],
    scripts: document.querySelectorAll('script').length,
    links,
    page_width: document.documentElement.scrollWidth,
    // How far each table reaches past its scrolling box (0: it fits).
    table_overflow: Object.fromEntries([...document.querySelectorAll('.scroll')].map((d) => (
      [d.firstElementChild.getAttribute('class'), d.scrollWidth - d.clientWidth]))),
    viewport_width: window.innerWidth,
  };
})()
"""


def fail(msg):
    print(f"measure.py: {msg}", file=sys.stderr)
    sys.exit(1)


class Pipe:
    def __init__(self, to_browser, from_browser):
        self.w, self.r = to_browser, from_browser
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self):
        while b"\0" not in self.buf:
            left = DEADLINE - time.monotonic()
            if left <= 0:
                fail("timed out waiting for Chromium")
            ready, _, _ = select.select([self.r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                fail("Chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        while True:
            msg = self.read()
            if msg.get("id") == want:
                if "error" in msg:
                    fail(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method):
        for i, msg in enumerate(self.events):
            if msg.get("method") == method:
                return self.events.pop(i)
        while True:
            msg = self.read()
            if msg.get("method") == method:
                return msg
            self.events.append(msg)


def main():
    if len(sys.argv) not in (5, 6):
        fail(__doc__.strip().splitlines()[2])
    chromium, page, shot, scheme = sys.argv[1:5]
    width = int(sys.argv[5]) if len(sys.argv) == 6 else 1280
    if scheme not in ("light", "dark"):
        fail(f"colour scheme {scheme!r}: light or dark")
    to_r, to_w = os.pipe()
    from_r, from_w = os.pipe()

    def child_fds():
        # Copies first, so that neither end is overwritten by the other's dup2.
        a, b = os.dup(to_r), os.dup(from_w)
        os.dup2(a, 3)
        os.dup2(b, 4)

    with tempfile.TemporaryDirectory(prefix="pmlint-chromium-") as profile:
        proc = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(3, 4),  # kept open when the other fds are closed
            preexec_fn=child_fds,
        )
        os.close(to_r)
        os.close(from_w)
        try:
            result = drive(Pipe(to_w, from_r), page, shot, scheme, width)
        except SystemExit:
            proc.kill()
            err = proc.communicate(timeout=10)[1].decode(errors="replace")
            print(err[-3000:], file=sys.stderr)
            raise
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    print(json.dumps(result))


def drive(cdp, page, shot, scheme, width):
    target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    cdp.call("Page.enable", session=session)
    cdp.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    cdp.call(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        session=session,
    )
    nav = cdp.call("Page.navigate", {"url": "file://" + os.path.abspath(page)}, session=session)
    if nav.get("errorText"):
        fail(f"cannot load {page}: {nav['errorText']}")
    cdp.wait_event("Page.loadEventFired")
    probe = cdp.call(
        "Runtime.evaluate", {"expression": PROBE, "returnByValue": True}, session=session
    )
    if "exceptionDetails" in probe:
        fail(f"probe failed: {probe['exceptionDetails']}")
    result = probe["result"]["value"]
    size = cdp.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
    # The whole page, and its top down to the charts' end (the part worth a look).
    charts_end = max([c["y"] + c["height"] for c in result["charts"]], default=400) + 40
    # A page of 5,000 incidents is ~300,000 px tall: the full shot stops at 8,000.
    full = min(size["height"], 8000)
    for path, height in ((shot, full), (shot[:-4] + "-charts.png", charts_end)):
        png = cdp.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1},
            },
            session=session,
        )["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))
    result["screenshot"] = os.path.abspath(shot)
    result["content_height"] = size["height"]
    cdp.send("Browser.close")
    return result


if __name__ == "__main__":
    main()
