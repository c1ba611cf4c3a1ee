#!/usr/bin/env bash
# Debian's Chromium for the web console's browser tests (playwright-core drives it; Playwright's
# own browser downloads are not used), and CJK fonts so the Korean and Japanese pages render
# (the screenshots in docs/console are taken by those tests). Does nothing when both are there.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if ! fc-list :lang=ko 2>/dev/null | grep -q . || ! fc-list :lang=ja 2>/dev/null | grep -q .; then
  packages+=(fonts-noto-cjk)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: missing ${packages[*]} and apt-get is not available;" >&2
  echo "  install Chromium (at /usr/bin/chromium) and a CJK font with your package manager." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-chromium: installing ${packages[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}"
/usr/bin/chromium --version
