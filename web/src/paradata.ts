/**
 * Time per section, counted while a section is on screen. The clock lives in the draft, so it
 * survives reloads; a gap longer than `MAX_GAP_MS` between two ticks (the tab was closed, the
 * phone slept) is not counted.
 */
export interface SectionClock {
  /** Section id → seconds. */
  seconds: Record<string, number>;
  /** The section on screen and since when (epoch ms), or null while nothing is shown. */
  running: { sectionId: string; since: number } | null;
}

/** Longest stretch counted between two ticks: an interviewer answers at least one question in this time. */
export const MAX_GAP_MS = 10 * 60 * 1000;

export function newClock(): SectionClock {
  return { seconds: {}, running: null };
}

/** Adds the time since the last tick to the running section and goes on with `sectionId` (null stops). */
export function tick(clock: SectionClock, now: number, sectionId: string | null): SectionClock {
  const seconds = { ...clock.seconds };
  if (clock.running) {
    const elapsed = now - clock.running.since;
    if (elapsed > 0 && elapsed <= MAX_GAP_MS) {
      const id = clock.running.sectionId;
      seconds[id] = Math.round(((seconds[id] ?? 0) + elapsed / 1000) * 10) / 10;
    }
  }
  return { seconds, running: sectionId === null ? null : { sectionId, since: now } };
}

/** Where the device says it is, as the server's paradata wants it. */
export interface Location {
  lat: number;
  lon: number;
  accuracy: number;
}

/** The device's position, or undefined when it is not allowed, not known or too slow to come. */
export function currentLocation(timeoutMs = 15_000): Promise<Location | undefined> {
  if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: Math.max(0, p.coords.accuracy) }),
      () => resolve(undefined),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
