#!/usr/bin/env bash
# Installs the metric and security oracles into .oracles/ (git-ignored):
# PyPI tools in a virtualenv, npm tools under .oracles/npm, pmccabe and the Go
# sources (a corpus) from Debian.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .oracles
.oracles/bin/pip install -q radon==6.0.1 lizard==1.24.3 complexipy==8.3.0 bandit==1.9.4 detect-secrets==1.5.0
# jscpd for duplicates, ESLint + sonarjs for JS/TS cyclomatic and cognitive.
npm install -q --prefix .oracles/npm --no-audit --no-fund jscpd@4.3.0 eslint@10.15.0 \
  eslint-plugin-sonarjs@4.2.2 @typescript-eslint/parser@8.73.0 typescript
if ! command -v pmccabe >/dev/null || [ ! -d /usr/share/go-1.19 ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q pmccabe golang-src; else sudo apt-get install -y -q pmccabe golang-src; fi
fi
echo "oracles ready: .oracles/bin/python scripts/oracles/compare.py --help"
