#!/usr/bin/env bash
# Installs the Debian packages the platform and its tests need beyond Python's: Chromium for the browser
# tests (driven through Playwright's executable_path: Playwright's own browser download cannot work on closed
# networks), and Pango with the DejaVu fonts for WeasyPrint's country briefs (fonts from Debian, never
# downloaded from the web), Noto CJK for the same documents in Chinese (DejaVu has Latin, Cyrillic and Arabic,
# not Han), and gettext's xgettext for the test that the catalogs hold every message of the code. Run as
# root it installs what is missing; otherwise it prints the command.
# `install_debian_packages.sh run` installs only what the platform itself needs (`make run`), not the browser.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk)
if [ "${1:-all}" != "run" ]; then
  PACKAGES+=(chromium gettext)
fi
missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The platform needs these Debian packages: run 'sudo apt-get install ${missing[*]}' once." >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
