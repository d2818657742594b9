#!/usr/bin/env bash
# System packages the tests need (Debian names). As root they are installed;
# otherwise every missing one is named, with the command that installs it.
set -euo pipefail

packages=(
  # Qt's xcb platform, EGL and fonts (Cyrillic included) for the real window and screenshots
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 fonts-dejavu-core
  # colour emoji in chat bubbles (👍🏽 👨‍👩‍👧 ✅), found by fontconfig as Qt's fallback
  fonts-noto-color-emoji
  # a virtual screen for screenshots; libXss: the desktop's idle time (automatic Away)
  xvfb libxss1
  # the production database, started by the test session on loopback
  postgresql
  # the OS keyring's D-Bus backend is optional; PortAudio: the headset through sounddevice
  libportaudio2
  # remote desktop: x11vnc as the user's computer, the TigerVNC viewer the launcher starts,
  # xdotool answers x11vnc's popup, ImageMagick screenshots; FreeRDP and Remmina backends,
  # freerdp-shadow-cli (and winpr-hash for its SAM file) as the RDP test host
  x11vnc tigervnc-viewer xdotool imagemagick freerdp2-x11 remmina remmina-plugin-vnc freerdp2-shadow-x11 winpr-utils
  # telephony tests: sipp (a scripted SIP peer), baresip (a calling/answering user), kamailio (the PBX)
  sip-tester baresip kamailio
  # the fake headset: PipeWire null devices (not PulseAudio: it spins full-duplex streams at 99 % CPU)
  pipewire pipewire-bin pipewire-alsa wireplumber dbus
  # test audio: speech made by espeak-ng, resampled to 8 kHz by sox
  espeak-ng sox
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "These system packages are missing: ${missing[*]}"
  echo "Install them with: sudo apt-get install ${missing[*]}"
  exit 1
fi
