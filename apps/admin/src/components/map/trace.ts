// A courier's trace on a map: the line of his recorded positions and a pin where he was last, with the time.
import type { TracePoint } from '../../data/orders.ts';
import { i18n } from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { MapLine, MapPin } from './MapView.vue';

export const TRACE_COLOUR = '#2fa37f';

export function traceLayers(trace: TracePoint[]): { pins: MapPin[]; lines: MapLine[] } {
  const last = trace.at(-1);
  const t = i18n.global.t as (key: string, named?: Record<string, unknown>) => string;
  return {
    pins: last
      ? [
          {
            lat: last.lat,
            lng: last.lng,
            color: TRACE_COLOUR,
            label: t('map.courierAt', { at: formatDateTime(last.recorded_at) }),
            permanent: true,
          },
        ]
      : [],
    lines:
      trace.length > 1 ? [{ points: trace.map((p) => [p.lat, p.lng] as [number, number]), color: TRACE_COLOUR }] : [],
  };
}
