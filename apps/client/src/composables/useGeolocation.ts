// Where the customer is: the device position when given quickly (cheap phones: low accuracy, 8 s at most, a
// position up to 5 minutes old is fine), otherwise null and the caller falls back to the zone centre.
export interface Position {
  lat: number;
  lng: number;
}

let last: Promise<Position | null> | undefined;

/**
 * The position, asked once per app start and shared; `fresh` asks the device again (a "my position" button: the
 * person may have walked since).
 */
export function currentPosition(opts: { fresh?: boolean } = {}): Promise<Position | null> {
  if (opts.fresh) last = undefined;
  last ??= new Promise<Position | null>((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    const timer = setTimeout(() => resolve(null), 9000);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: false, timeout: 8000, maximumAge: opts.fresh ? 0 : 300_000 },
    );
  }).then((p) => {
    if (p === null) last = undefined; // ask again next time (permission may come later)
    return p;
  });
  return last;
}
