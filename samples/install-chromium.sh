#!/bin/sh
# Makes sure the Debian Chromium that the browser tests drive (ChatBrowserIT) is installed.
# Run by Maven before the samples' tests (see samples/pom.xml); a no-op when it is there.
# TROUPE_CHROMIUM names another browser binary to use instead of /usr/bin/chromium.
set -eu

browser="${TROUPE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
if [ -n "${TROUPE_CHROMIUM:-}" ]; then
  echo "install-chromium: TROUPE_CHROMIUM=$TROUPE_CHROMIUM is not an executable file" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: $browser is missing and this is not root." >&2
  echo "  Install it (sudo apt-get install chromium), point TROUPE_CHROMIUM at a Chromium," >&2
  echo "  or skip the browser test with -Dtroupe.skipBrowserTests." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $browser is missing and there is no apt-get to install it" >&2
  exit 1
fi

echo "install-chromium: installing Debian chromium (about 120 MB, 20-60 s)"
started=$(date +%s)
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
if [ ! -x "$browser" ]; then
  echo "install-chromium: apt-get finished but $browser is still missing" >&2
  exit 1
fi
echo "install-chromium: $("$browser" --version 2>/dev/null || echo chromium) in $(( $(date +%s) - started )) s"
