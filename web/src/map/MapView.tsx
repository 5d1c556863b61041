/** The situation map: MapLibre over the shipped basemap, with server-side clusters and crossings as markers. */
import { Map as MapLibreMap, Marker, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import type { ClusterResult, Crossing } from '../api/types.ts';
import type { MapAt } from '../pages/situation/view.ts';
import { clusterElement, countryLabel, crossingElement, incidentElement } from './markers.ts';
import { basemapStyle, COUNTRY_LABELS, HOME } from './style.ts';

// The worker ships as a hashed asset of this build (worker-src 'self'), never from a CDN.
setWorkerUrl(workerUrl);

export type MapState = { at: MapAt; zoom: number; bbox: [number, number, number, number] };

type Props = {
  /** Where to open; null opens on the gazetteer's region. */
  initial: MapAt | null;
  clusters: ClusterResult | null;
  crossings: Crossing[];
  selected: string | null;
  onMove(state: MapState): void;
  onSelect(id: string): void;
  onCrossing(id: string): void;
};

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function stateOf(map: MapLibreMap): MapState {
  const bounds = map.getBounds();
  const center = map.getCenter();
  let west = bounds.getWest();
  let east = bounds.getEast();
  if (east - west >= 360) {
    west = -180;
    east = 180;
  }
  // Longitudes past the antimeridian come back into range; a box across it has west > east.
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  return {
    at: { zoom: map.getZoom(), lat: center.lat, lon: wrap(center.lng) },
    zoom: map.getZoom(),
    bbox: [
      east - west >= 360 ? -180 : clamp(wrap(west), -180, 180),
      clamp(bounds.getSouth(), -90, 90),
      east - west >= 360 ? 180 : clamp(wrap(east), -180, 180),
      clamp(bounds.getNorth(), -90, 90),
    ],
  };
}

export default function MapView({
  initial,
  clusters,
  crossings,
  selected,
  onMove,
  onSelect,
  onCrossing,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const incidentMarkers = useRef<Marker[]>([]);
  const crossingMarkers = useRef<Marker[]>([]);
  const handlers = useRef({ onMove, onSelect, onCrossing });
  handlers.current = { onMove, onSelect, onCrossing };

  // The map is created once; later position changes come from the user, not from props.
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once, on mount
  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      style: basemapStyle(),
      ...(initial
        ? { center: [initial.lon, initial.lat] as [number, number], zoom: initial.zoom }
        : { bounds: HOME, fitBoundsOptions: { padding: 24 } }),
      minZoom: 2,
      maxZoom: 14,
      renderWorldCopies: false,
      attributionControl: { compact: true, customAttribution: 'Natural Earth · geoBoundaries' },
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    for (const label of COUNTRY_LABELS)
      new Marker({ element: countryLabel(label.name, Boolean(label.party)) })
        .setLngLat([label.lon, label.lat])
        .addTo(map);
    const report = () => handlers.current.onMove(stateOf(map));
    // The view is known before the first frame: data loads while the map draws (or while a hidden tab waits to).
    report();
    map.on('moveend', report);
    // Tests and screenshots wait for a drawn map; assistive tech is told through aria-busy.
    const element = map.getContainer();
    map.on('movestart', () => {
      element.dataset.idle = 'false';
      element.setAttribute('aria-busy', 'true');
    });
    map.on('idle', () => {
      element.dataset.idle = 'true';
      element.setAttribute('aria-busy', 'false');
    });
    map.getCanvas().setAttribute('aria-label', 'Map of incidents. Arrow keys pan, plus and minus zoom.');
    mapRef.current = map;
    return () => {
      map.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    for (const marker of incidentMarkers.current) marker.remove();
    incidentMarkers.current = [];
    if (!clusters) return;
    // Larger clusters first, so small ones sit on top and stay clickable.
    const ordered = [...clusters.clusters].sort((a, b) => b.count - a.count || b.best - a.best);
    for (const cluster of ordered) {
      const element = cluster.incident
        ? incidentElement(cluster, cluster.incident.id === selected)
        : clusterElement(cluster);
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        if (cluster.incident) handlers.current.onSelect(cluster.incident.id);
        else map.easeTo({ center: [cluster.lon, cluster.lat], zoom: Math.min(map.getZoom() + 2, 14) });
      });
      const marker = new Marker({ element }).setLngLat([cluster.lon, cluster.lat]).addTo(map);
      incidentMarkers.current.push(marker);
    }
  }, [clusters, selected]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    for (const marker of crossingMarkers.current) marker.remove();
    crossingMarkers.current = crossings.map((crossing) =>
      new Marker({
        element: crossingElement(crossing, () => handlers.current.onCrossing(crossing.id)),
        anchor: 'left',
      })
        .setLngLat([crossing.lon, crossing.lat])
        .addTo(map),
    );
  }, [crossings]);

  return <div ref={container} className="map" data-testid="map" />;
}
