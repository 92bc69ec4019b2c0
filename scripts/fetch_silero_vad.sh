#!/usr/bin/env bash
# Fetches the weights of the Silero voice-activity detector (16 kHz), a trained network whose
# four convolution layers are described by fixtures/networks/silero-vad-16k.json.
#
#   scripts/fetch_silero_vad.sh [destination-folder]
#
# The destination defaults to fixtures/networks/downloads (ignored by git; the weights are not
# committed). The script downloads the wheel of silero-vad 6.2.3 from PyPI with
# `pip download --no-deps` into a temporary folder, extracts only the member
# silero_vad/data/silero_vad_16k.safetensors (the package is never installed or imported),
# writes it as DESTINATION/silero_vad_16k.safetensors (through a temporary name, then a
# rename; a file already there is kept when identical and otherwise refused), and prints its
# sha256. fixtures/networks/README.md records the expected sha256;
# the script compares with it when EXPECTED_SHA256 is set in the environment.
#
# Exit codes:
#   0  the file is in place (its sha256 printed on standard output)
#   1  the download or the extraction failed (pip missing, no network, member absent)
#   2  bad usage (more than one argument, the destination exists and is not a folder, or
#      DESTINATION/silero_vad_16k.safetensors exists with other contents)
#   3  EXPECTED_SHA256 is set and the file's sha256 differs (the file is left out)
set -euo pipefail

version=6.2.3
member=silero_vad/data/silero_vad_16k.safetensors
name=silero_vad_16k.safetensors
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ $# -gt 1 ]; then
    echo "usage: $0 [destination-folder]" >&2
    exit 2
fi
destination=${1:-$root/fixtures/networks/downloads}
if [ -e "$destination" ] && [ ! -d "$destination" ]; then
    echo "$destination exists and is not a folder" >&2
    exit 2
fi

if command -v pip3 > /dev/null 2>&1; then
    pip=(pip3)
elif command -v python3 > /dev/null 2>&1 && python3 -m pip --version > /dev/null 2>&1; then
    pip=(python3 -m pip)
else
    echo "neither pip3 nor python3 -m pip is available" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "${pip[@]}" download --quiet --no-deps --only-binary=:all: "silero-vad==$version" \
    -d "$work/wheel" >&2; then
    echo "pip download silero-vad==$version failed" >&2
    exit 1
fi
wheel=$(ls "$work"/wheel/silero_vad-"$version"-*.whl 2> /dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
    echo "no silero_vad-$version wheel in the download" >&2
    exit 1
fi

# Extract the one member, with unzip when present and with Python's zipfile module otherwise.
if command -v unzip > /dev/null 2>&1; then
    unzip -q -o "$wheel" "$member" -d "$work/unpacked" || {
        echo "$wheel has no member $member" >&2
        exit 1
    }
elif command -v python3 > /dev/null 2>&1; then
    python3 - "$wheel" "$member" "$work/unpacked" << 'EOF' || exit 1
import sys, zipfile
wheel, member, folder = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    if member not in archive.namelist():
        sys.exit(f"{wheel} has no member {member}")
    archive.extract(member, folder)
EOF
else
    echo "neither unzip nor python3 is available to unpack $wheel" >&2
    exit 1
fi

extracted=$work/unpacked/$member
sha=$(sha256sum "$extracted" | cut -d ' ' -f 1)
if [ -n "${EXPECTED_SHA256:-}" ] && [ "$sha" != "$EXPECTED_SHA256" ]; then
    echo "sha256 $sha differs from the expected $EXPECTED_SHA256" >&2
    exit 3
fi

if [ -e "$destination/$name" ]; then
    if [ "$(sha256sum "$destination/$name" | cut -d ' ' -f 1)" = "$sha" ]; then
        echo "$sha  $destination/$name"
        exit 0
    fi
    echo "$destination/$name exists with other contents; remove it or name another folder" >&2
    exit 2
fi
mkdir -p "$destination"
cp "$extracted" "$destination/.$name.partial"
mv -f "$destination/.$name.partial" "$destination/$name"
echo "$sha  $destination/$name"
