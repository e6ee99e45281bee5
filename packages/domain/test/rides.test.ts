import { describe, expect, it } from 'vitest';
import {
  cancellationFeeApplies,
  driverApproach,
  formatDistance,
  initials,
  quoteSummary,
  ridePhase,
  riderMayCancel,
  riderMayRate,
  riderShowsPin,
  rideSteps,
} from '../src/rides.ts';

describe('rideSteps', () => {
  it('marks the current step of a live ride and leaves the rest upcoming', () => {
    const steps = rideSteps('arrived', [
      { to_status: 'requested', created_at: '2026-11-21T10:00:00Z' },
      { to_status: 'accepted', created_at: '2026-11-21T10:01:00Z' },
      { to_status: 'arrived', created_at: '2026-11-21T10:05:00Z' },
    ]);
    expect(steps.map((s) => [s.status, s.state])).toEqual([
      ['requested', 'done'],
      ['accepted', 'done'],
      ['arrived', 'current'],
      ['in_progress', 'upcoming'],
      ['completed', 'upcoming'],
    ]);
    expect(steps[2]!.at).toBe('2026-11-21T10:05:00Z');
    expect(steps[3]!.at).toBeNull();
  });

  it('shows every step done once completed', () => {
    expect(rideSteps('completed').every((s) => s.state === 'done')).toBe(true);
  });

  it('stops a cancelled ride at the last step it reached, then the cancellation', () => {
    const steps = rideSteps('cancelled', [
      { to_status: 'requested', created_at: 'a' },
      { to_status: 'accepted', created_at: 'b' },
      { to_status: 'cancelled', created_at: 'c' },
    ]);
    expect(steps.map((s) => [s.status, s.state])).toEqual([
      ['requested', 'done'],
      ['accepted', 'done'],
      ['cancelled', 'current'],
    ]);
    expect(rideSteps('expired').map((s) => s.status)).toEqual(['requested', 'expired']);
  });
});

describe('what the rider may do', () => {
  it('cancels until the ride starts, with a fee only once the driver has arrived', () => {
    expect(['requested', 'accepted', 'arrived'].every((s) => riderMayCancel(s as never))).toBe(true);
    expect(riderMayCancel('in_progress')).toBe(false);
    expect(cancellationFeeApplies('accepted')).toBe(false);
    expect(cancellationFeeApplies('arrived')).toBe(true);
  });

  it('sees the PIN while the driver comes and waits, and rates once completed', () => {
    expect(riderShowsPin('requested')).toBe(false);
    expect(riderShowsPin('accepted')).toBe(true);
    expect(riderShowsPin('arrived')).toBe(true);
    expect(riderShowsPin('in_progress')).toBe(false);
    expect(riderMayRate('completed')).toBe(true);
    expect(riderMayRate('cancelled')).toBe(false);
  });

  it('is matching while requested, with a driver until the end, then over', () => {
    expect(ridePhase('requested')).toBe('matching');
    expect(ridePhase('accepted')).toBe('driver');
    expect(ridePhase('in_progress')).toBe('driver');
    expect(ridePhase('expired')).toBe('over');
  });
});

describe('driverApproach', () => {
  it('gives the straight distance and the minutes by road at the vehicle speed', () => {
    // 0.01° of latitude ≈ 1 113 m; by road × 1.3 ≈ 1.447 km; moto 25 km/h → 3.5 min → 4; car 30 km/h → 2.9 → 3.
    const a = { lat: 5.9, lng: -4.82 };
    const b = { lat: 5.91, lng: -4.82 };
    const moto = driverApproach(a, b, 'moto');
    expect(moto.distance_m).toBeGreaterThan(1100);
    expect(moto.distance_m).toBeLessThan(1125);
    expect(moto.minutes).toBe(4);
    expect(driverApproach(a, b, 'car').minutes).toBe(3);
  });

  it('never says less than one minute', () => {
    expect(driverApproach({ lat: 5.9, lng: -4.82 }, { lat: 5.9, lng: -4.82 }, 'moto')).toEqual({
      distance_m: 0,
      minutes: 1,
    });
  });
});

describe('formatDistance', () => {
  it('says metres under a kilometre and kilometres with a decimal comma in French', () => {
    expect(formatDistance(347)).toBe('350\u00a0m');
    expect(formatDistance(1449)).toBe('1,4\u00a0km');
    expect(formatDistance(1449, 'en')).toBe('1.4\u00a0km');
    expect(formatDistance(3000)).toBe('3\u00a0km');
  });
});

describe('quoteSummary', () => {
  it('keeps the fare, says when it is a fixed neighbourhood fare, and rounds the minutes up', () => {
    expect(quoteSummary({ fare_xof: 300, pricing: 'fixed', duration_s: 200, distance_m: 1500 })).toEqual({
      fare_xof: 300,
      fixed: true,
      minutes: 4,
    });
    expect(quoteSummary({ fare_xof: 425, pricing: 'grid', duration_s: 30, distance_m: 150 }).fixed).toBe(false);
  });
});

describe('initials', () => {
  it('takes the first letters of the first two names', () => {
    expect(initials('Koffi Kouassi')).toBe('KK');
    expect(initials(' éric ')).toBe('É');
    expect(initials('')).toBe('?');
  });
});
