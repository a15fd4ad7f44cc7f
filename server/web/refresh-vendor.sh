#!/bin/sh
# Refreshes vendor/ from the versions pinned in package-lock.json. The
# server embeds vendor/, so `go run` never needs npm; run this (or
# `npm run vendor`) only after changing a version in package.json.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
cp node_modules/cytoscape/dist/cytoscape.min.js vendor/cytoscape.min.js
cp node_modules/cytoscape/LICENSE vendor/cytoscape.LICENSE
echo "vendor/ now holds cytoscape $(node -p 'require("./node_modules/cytoscape/package.json").version')"
