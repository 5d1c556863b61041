/// <reference types="vite/client" />

declare module 'virtual:truce-basemap' {
  import type { FeatureCollection } from 'geojson';

  /** Built by web/basemap.ts from the shipped gazetteer and world-atlas. */
  const basemap: {
    region: [number, number, number, number];
    extent: [number, number, number, number];
    center: [number, number];
    land: FeatureCollection;
    partyLand: FeatureCollection;
    lines: FeatureCollection;
    border: FeatureCollection;
    provinces: FeatureCollection;
    labels: { name: string; lon: number; lat: number; party: boolean }[];
  };
  export default basemap;
}
