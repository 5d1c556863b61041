/** The offline basemap style: no tiles, no glyphs, no sprites — only the shipped boundaries (virtual:truce-basemap). */

import basemap from 'virtual:truce-basemap';
import type { StyleSpecification } from 'maplibre-gl';

export const MAP_COLORS = {
  water: '#dce3e9',
  land: '#eeede8',
  partyLand: '#fbfaf7',
  countryLine: '#aaa69b',
  provinceLine: '#d6d2c7',
  border: '#3d3a33',
};

export function basemapStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      land: { type: 'geojson', data: basemap.land },
      partyLand: { type: 'geojson', data: basemap.partyLand },
      lines: { type: 'geojson', data: basemap.lines },
      provinces: { type: 'geojson', data: basemap.provinces },
      border: { type: 'geojson', data: basemap.border },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.water } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': MAP_COLORS.land } },
      { id: 'party-land', type: 'fill', source: 'partyLand', paint: { 'fill-color': MAP_COLORS.partyLand } },
      {
        id: 'provinces',
        type: 'line',
        source: 'provinces',
        paint: {
          'line-color': MAP_COLORS.provinceLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 9, 1.2],
        },
      },
      {
        id: 'country-lines',
        type: 'line',
        source: 'lines',
        layout: { 'line-join': 'round' },
        paint: { 'line-color': MAP_COLORS.countryLine, 'line-width': 0.9 },
      },
      {
        id: 'border-halo',
        type: 'line',
        source: 'border',
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 3, 10, 6] },
      },
      {
        id: 'border',
        type: 'line',
        source: 'border',
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': MAP_COLORS.border,
          'line-width': ['interpolate', ['linear'], ['zoom'], 4, 1.3, 10, 2.4],
          'line-dasharray': [4, 2],
        },
      },
    ],
  };
}

/** Country names: the style has no glyphs (they would be fetched), so labels are HTML markers. */
export const COUNTRY_LABELS = basemap.labels;
/** The gazetteer's extent (west, south, east, north): what the map fits when the URL names no view. */
export const HOME = basemap.extent;
