#!/usr/bin/env bash
# Installs Chromium for the HTML report's browser test (tests/stats_html.rs): Debian's
# `chromium` package (this machine's registries serve Debian packages; Playwright's own
# browser download is not reachable here), once, and prints the path of the browser.
# PMLINT_CHROMIUM names another one. Fails, saying why, if there is none: the browser test
# must not pass without a browser.
set -euo pipefail
ok() { "$1" --headless --no-sandbox --version >/dev/null 2>&1; }
if [ -n "${PMLINT_CHROMIUM:-}" ]; then
  if ok "$PMLINT_CHROMIUM"; then echo "$PMLINT_CHROMIUM"; exit 0; fi
  echo "install-chromium.sh: PMLINT_CHROMIUM=$PMLINT_CHROMIUM does not run" >&2
  exit 1
fi
for c in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$c" ] && ok "$c"; then echo "$c"; exit 0; fi
done
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium.sh: no chromium, and not root to apt-get install it" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# Fonts: without them the charts' labels have no glyphs to measure.
apt-get install -y -qq chromium fonts-dejavu-core >&2
if ok /usr/bin/chromium; then echo /usr/bin/chromium; exit 0; fi
echo "install-chromium.sh: chromium installed but does not run" >&2
exit 1
