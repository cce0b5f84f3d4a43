#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for Mekong Health: the mediasoup 3.8.4 worker
# (Debian experimental, pinned low so nothing else comes from experimental; its runtime
# libraries libsrtp2-1 and libusrsctp2 come from stable) and, with --browser, Debian's Chromium
# for browser tests and poppler-utils for the PDF tests. Idempotent: does nothing when everything
# is present. Needs root.
set -euo pipefail
WORKER=/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker
want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

need=()
[ -x "$WORKER" ] || need+=(mediasoup-worker)
[ "$want_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1 && need+=(chromium)
# Test tooling too: poppler-utils (pdftotext, pdfinfo) reads the visit PDF in its tests (issue 21).
[ "$want_browser" = 1 ] && ! command -v pdftotext >/dev/null 2>&1 && need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "install-system-deps: need root to install: ${need[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
src=$(ls /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
uri=http://deb.debian.org/debian
if [ -n "$src" ]; then uri=$(awk '/^URIs:/ {print $2; exit}' "$src"); fi
if [ ! -f /etc/apt/sources.list.d/experimental.list ]; then
  echo "deb $uri experimental main" > /etc/apt/sources.list.d/experimental.list
fi
# Experimental is NotAutomatic already; the pin makes it explicit: only mediasoup-worker may come from it.
cat > /etc/apt/preferences.d/mekong-experimental <<'PIN'
Package: *
Pin: release a=experimental
Pin-Priority: 1

Package: mediasoup-worker
Pin: release a=experimental
Pin-Priority: 500
PIN
apt-get update -q >/dev/null
for p in "${need[@]}"; do
  if [ "$p" = mediasoup-worker ]; then
    apt-get install -y -q --no-install-recommends -t experimental mediasoup-worker libsrtp2-1 libusrsctp2 >/dev/null
  else
    apt-get install -y -q --no-install-recommends "$p" >/dev/null
  fi
done
echo "install-system-deps: installed ${need[*]}"
