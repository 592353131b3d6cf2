#!/usr/bin/env bash
# Debian packages the browser tests and PDFs need: chromium (driven by Playwright, never
# downloaded by it), CJK fonts for Chinese in screenshots and PDFs, and a Java runtime for
# the Nu Html Checker, and Node.js with npm to install the pinned axe-core, vnu-jar and Lighthouse. Installs only what is missing; uses sudo when not root.
set -euo pipefail

# `install-system-packages.sh pdf`: only what `make pdf` needs (Pango and the CJK fonts).
need=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# PDFs: WeasyPrint needs Pango.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-}" != "pdf" ]; then
  have_browser=""
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then have_browser="$candidate"; break; fi
  done
  [ -n "$have_browser" ] || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  # The tests render PDF pages with poppler-utils.
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "install-system-packages: missing ${need[*]} and no root to install them;" >&2
  echo "  browser tests will be skipped with a reason (they fail under CI=true)." >&2
  exit 0
fi

echo "install-system-packages: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
