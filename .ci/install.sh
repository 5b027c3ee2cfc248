#!/usr/bin/env bash
# Installs what CI and the README's commands need on a fresh Debian machine; does nothing where it is present.
set -euo pipefail

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# The report check opens the report in real headless Chromium.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
