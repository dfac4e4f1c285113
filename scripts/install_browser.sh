#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests, which drive it through Playwright's executable_path:
# Playwright's own browser download cannot work on closed networks.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The browser tests need Debian's chromium package: run 'sudo apt-get install chromium' once." >&2
  exit 1
fi
echo "Installing Debian's chromium package for the browser tests..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
