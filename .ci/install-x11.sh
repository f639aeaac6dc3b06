#!/usr/bin/env bash
# Installs what the GUI agent's X11 tests need: Xvfb (a private X server), xmessage and xwininfo (x11-utils),
# xdotool, fonts for the X clients, and the libraries Andes.Agents.Gui P/Invokes (libX11, libXtst, libXrandr).
# Idempotent and quiet: installs only what is missing. Without apt-get (or when it fails) the X11 tests skip themselves.
set -uo pipefail

packages=(xvfb x11-utils xdotool xfonts-base libx11-6 libxtst6 libxrandr2)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-x11: apt-get not found; the X11 GUI tests will be skipped (missing: ${missing[*]})" >&2
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "install-x11: could not install ${missing[*]}; the X11 GUI tests will be skipped" >&2
fi
exit 0
