#!/bin/sh
# Refreshes vendor/ from the versions pinned in package-lock.json. The
# server embeds vendor/, so `go run` never needs npm; run this (or
# `npm run vendor`) only after changing a version in package.json. Every
# file copied comes with the licence of the package it is from.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
v() { node -p "require('./node_modules/$1/package.json').version"; }

cp node_modules/cytoscape/dist/cytoscape.min.js vendor/cytoscape.min.js
cp node_modules/cytoscape/LICENSE vendor/cytoscape.LICENSE

# cytoscape-dagre's build bundles dagre itself, so dagre's licence comes too.
cp node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.js vendor/cytoscape-dagre.min.js
cp node_modules/cytoscape-dagre/LICENSE vendor/cytoscape-dagre.LICENSE
cp node_modules/@dagrejs/dagre/LICENSE vendor/dagre.LICENSE

# The map's geometry: Apache ECharts 4.9 is the last release that ships
# China's provinces and prefecture-level cities, keyed by GB/T 2260 code.
cp node_modules/echarts/map/json/china.json vendor/china-provinces.json
cp node_modules/echarts/map/json/china-cities.json vendor/china-cities.json
cp node_modules/echarts/LICENSE vendor/echarts.LICENSE
cp node_modules/echarts/NOTICE vendor/echarts.NOTICE

echo "vendor/ now holds cytoscape $(v cytoscape), cytoscape-dagre $(v cytoscape-dagre) (dagre $(v @dagrejs/dagre)), echarts $(v echarts) map data"
