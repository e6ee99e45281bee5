// On duty: the online switch and the position shared through POST /courier/presence, adaptively (every 5 s on a
// job, 10 s while waiting: @ecom/domain/courier presenceInterval). The position comes from the phone's GPS
// (watchPosition); going online without one says how to share it.
import { FunctionError } from '@ecom/app-kit/functions';
import { presenceInterval } from '@ecom/domain/courier';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { sendPresence } from '../data/jobs.ts';
import { callFunction } from '../lib/supabase.ts';

export interface Position {
  lat: number;
  lng: number;
  heading?: number;
  speed?: number;
}

const KEY = 'ecom.courier.online';

export const useDutyStore = defineStore('duty', () => {
  const online = ref(false);
  const position = shallowRef<Position | null>(null);
  const onJob = ref(false);
  const problem = ref<string | null>(null);
  /** The server's refusal code when going online was refused (`not_a_courier`, `courier_not_approved`…). */
  const problemCode = ref<string | null>(null);
  const busy = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watchId: number | undefined;

  function readPosition(): Promise<Position> {
    return new Promise((resolve, reject) => {
      if (!('geolocation' in navigator)) return reject(new Error('no_geolocation'));
      navigator.geolocation.getCurrentPosition(
        (p) =>
          resolve({
            lat: p.coords.latitude,
            lng: p.coords.longitude,
            ...(p.coords.heading != null && p.coords.heading >= 0 && p.coords.heading < 360
              ? { heading: p.coords.heading }
              : {}),
            ...(p.coords.speed != null && p.coords.speed >= 0 && p.coords.speed <= 70 ? { speed: p.coords.speed } : {}),
          }),
        reject,
        { enableHighAccuracy: true, timeout: 10_000, maximumAge: 5_000 },
      );
    });
  }

  function watchGps(): void {
    if (watchId !== undefined || !('geolocation' in navigator)) return;
    watchId = navigator.geolocation.watchPosition(
      (p) => (position.value = { lat: p.coords.latitude, lng: p.coords.longitude }),
      () => undefined,
      { enableHighAccuracy: true, maximumAge: 5_000 },
    );
  }

  async function tick(): Promise<void> {
    clearTimeout(timer);
    if (!online.value) return;
    // A fixed cadence (the wait counts from the send, not from its answer): dispatch's freshness window holds even
    // when a send is lost (@ecom/domain/courier, PRESENCE_SEND_TIMEOUT_MS).
    const started = Date.now();
    try {
      if (position.value) {
        const answer = await sendPresence(callFunction, { online: true, ...position.value });
        onJob.value = answer.order_id !== null || answer.ride_id !== null;
      }
    } catch {
      // No connection: try again at the next tick; the app's banner already says it is offline.
    }
    if (!online.value) return;
    timer = setTimeout(() => void tick(), Math.max(0, presenceInterval(onJob.value) - (Date.now() - started)));
  }

  /** Goes online (with a position) or offline; problems in words (`t` keys or the server's message). */
  async function setOnline(next: boolean): Promise<void> {
    busy.value = true;
    problem.value = null;
    problemCode.value = null;
    try {
      if (next) {
        try {
          position.value = await readPosition();
        } catch {
          problem.value = 'duty.noPosition';
          return;
        }
        const answer = await sendPresence(callFunction, { online: true, ...position.value });
        onJob.value = answer.order_id !== null || answer.ride_id !== null;
        online.value = true;
        localStorage.setItem(KEY, '1');
        watchGps();
        timer = setTimeout(() => void tick(), presenceInterval(onJob.value));
      } else {
        await sendPresence(callFunction, { online: false });
        online.value = false;
        localStorage.removeItem(KEY);
        clearTimeout(timer);
      }
    } catch (e) {
      problem.value = e instanceof FunctionError && e.kind === 'refused' ? e.message : 'duty.failed';
      problemCode.value = e instanceof FunctionError && e.kind === 'refused' ? e.code : null;
    } finally {
      busy.value = false;
    }
  }

  /** After a reload: back online if the courier was. */
  async function restore(): Promise<void> {
    if (localStorage.getItem(KEY) === '1' && !online.value) await setOnline(true);
  }

  function setOnJob(value: boolean): void {
    if (value === onJob.value) return;
    onJob.value = value;
    void tick();
  }

  return { online, position, onJob, problem, problemCode, busy, setOnline, restore, setOnJob };
});
