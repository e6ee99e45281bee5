// The new-order alarm: a loud two-tone beep every 1.6 s (Web Audio, no sound file to download) and a vibration,
// repeated until nobody's order is waiting for an answer. Browsers start audio only after a touch: `needsTouch`
// says so, and the queue page shows a button that unlocks it.
import { readonly, ref } from 'vue';

const ringing = ref(false);
const needsTouch = ref(false);
let ctx: AudioContext | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

function audio(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  ctx ??= new AudioContext();
  return ctx;
}

function beep(): void {
  const ac = audio();
  if (!ac) return;
  needsTouch.value = ac.state !== 'running';
  if (ac.state !== 'running') void ac.resume().then(() => (needsTouch.value = ac.state !== 'running'));
  const t = ac.currentTime;
  for (const [i, freq] of [880, 1320, 880].entries()) {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * 0.22);
    gain.gain.exponentialRampToValueAtTime(0.6, t + i * 0.22 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.22 + 0.2);
    osc.connect(gain).connect(ac.destination);
    osc.start(t + i * 0.22);
    osc.stop(t + i * 0.22 + 0.21);
  }
  if (typeof navigator !== 'undefined' && 'vibrate' in navigator) navigator.vibrate([400, 150, 400]);
}

/** Rings while `on` is true; calling it again with the same value changes nothing. */
export function setAlarm(on: boolean): void {
  if (on === ringing.value) return;
  ringing.value = on;
  clearInterval(timer);
  if (on) {
    beep();
    timer = setInterval(beep, 1600);
  } else if (typeof navigator !== 'undefined' && 'vibrate' in navigator) {
    navigator.vibrate(0);
  }
}

/** Called from a touch: lets the browser play sound from now on. */
export async function unlockSound(): Promise<void> {
  const ac = audio();
  if (ac && ac.state !== 'running') await ac.resume().catch(() => undefined);
  needsTouch.value = ac !== undefined && ac.state !== 'running';
}

export function useAlarm() {
  return { ringing: readonly(ringing), needsTouch: readonly(needsTouch), unlockSound };
}
