#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests), zbar (QR decoding), poppler
# (pdftotext/pdftoppm), nginx and openssl (the deployment test runs deploy/nginx/gielda.conf in an
# nginx of its own, and checks the site as shipped with a throw-away certificate; where systemd
# runs, Debian also starts its nginx service, which the tests do not use). Installed when running
# as root and missing; otherwise reported.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]} (install them with apt-get as root)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
