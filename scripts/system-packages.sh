#!/usr/bin/env bash
# Install the Debian packages citisa needs, only those missing. Safe to run again.
#   scripts/system-packages.sh            what `make run` and `make test` need
#   scripts/system-packages.sh services   also PostgreSQL and Redis servers (CI, production)
set -euo pipefail

packages=(
  fonts-noto-cjk          # Noto Serif/Sans CJK SC: the bulletin's body and heading faces
  fonts-lxgw-wenkai       # 楷体 for attribution lines, with a real bold
  fonts-dejavu-core       # the 「➤」 of section headings
  libharfbuzz-subset0     # without it WeasyPrint subsets CJK fonts 20-30x slower
  libpango-1.0-0 libpangoft2-1.0-0 fontconfig
  poppler-utils           # pdftotext / pdftoppm for tests and looking at PDFs
  chromium chromium-driver  # browser tests (Playwright drives Debian's Chromium)
)
if [ "${1:-}" = "services" ]; then
  packages+=(postgresql redis-server)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
