/**
 * The devices screen's filters as they live in the URL (`?screen=devices&province=&postOffice=&unsentHours=&silentDays=&show=`)
 * and what makes a device a concern under them. Pure: unit tests load it.
 */
import type { DeviceListReply } from '../../shared/api-client';

/** What the devices screen shows, kept in the URL beside `screen=devices`. */
export interface DeviceFilters {
  province: string;
  postOffice: string;
  /** Unsent work older than this many hours counts as late. */
  unsentHours: number;
  /** A device not heard from for this many days counts as silent. */
  silentDays: number;
  show: DeviceShow;
}
export const DEVICE_SHOWS = ['all', 'unsent', 'silent', 'behind'] as const;
export type DeviceShow = (typeof DEVICE_SHOWS)[number];
const DEFAULTS = { unsentHours: 24, silentDays: 3 } as const;

/** A whole number within 0…max from a URL or an input, else the fallback. */
export const wholeNumber = (text: string | null, fallback: number, max: number): number => {
  const n = Number(text);
  return text !== null && text !== '' && Number.isInteger(n) && n >= 0 && n <= max ? n : fallback;
};

export function readDeviceFilters(search: string): DeviceFilters {
  const q = new URLSearchParams(search);
  const show = q.get('show') ?? 'all';
  return {
    province: q.get('province') ?? '',
    postOffice: q.get('postOffice') ?? '',
    unsentHours: wholeNumber(q.get('unsentHours'), DEFAULTS.unsentHours, 100_000),
    silentDays: wholeNumber(q.get('silentDays'), DEFAULTS.silentDays, 3650),
    show: (DEVICE_SHOWS as ReadonlyArray<string>).includes(show) ? (show as DeviceShow) : 'all',
  };
}

/** The URL of the screen with these filters; the round stays as it was. */
export function writeDeviceFilters(filters: DeviceFilters, round: string | null): string {
  const q = new URLSearchParams({ screen: 'devices' });
  if (round) q.set('round', round);
  if (filters.province) q.set('province', filters.province);
  if (filters.postOffice) q.set('postOffice', filters.postOffice);
  if (filters.unsentHours !== DEFAULTS.unsentHours) q.set('unsentHours', String(filters.unsentHours));
  if (filters.silentDays !== DEFAULTS.silentDays) q.set('silentDays', String(filters.silentDays));
  if (filters.show !== 'all') q.set('show', filters.show);
  return `?${q.toString()}`;
}

type Device = Pick<DeviceListReply['devices'][number], 'unsentCompleted' | 'unsentOldHours' | 'silentDays' | 'versionBehind'>;

/** Whether a device is late, silent or behind under the screen's thresholds. */
export function deviceConcerns(d: Device, f: Pick<DeviceFilters, 'unsentHours' | 'silentDays'>): { unsent: boolean; silent: boolean; behind: boolean } {
  return { unsent: d.unsentCompleted > 0 && (d.unsentOldHours ?? 0) > f.unsentHours, silent: d.silentDays >= f.silentDays, behind: d.versionBehind };
}

