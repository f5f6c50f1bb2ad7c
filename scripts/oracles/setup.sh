#!/usr/bin/env bash
# Installs the metric oracles into .oracles/ (a virtualenv, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .oracles
.oracles/bin/pip install -q radon==6.0.1 lizard==1.24.3 complexipy
# jscpd for duplicates (Node.js; the registry is reachable).
npm install -q --prefix .oracles/npm jscpd@4.3.0 --no-audit --no-fund
echo "oracles ready: .oracles/bin/python scripts/oracles/compare.py radon"
