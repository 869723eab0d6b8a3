import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../shared/api-client';
import { readSnapshot, type Snapshot } from './device-snapshot';
import type { DeviceStore } from './device-store';
import { DEFAULT_SETTINGS, download, sync, type FieldWorkDeps } from './field-work';

export interface DeviceState {
  deps: FieldWorkDeps;
  /** Undefined until the device store was first read. */
  snapshot: Snapshot | undefined;
  online: boolean;
  syncing: boolean;
  /** Reads the device store again: after every change the screens make. */
  refresh: () => Promise<void>;
  /** Sends what waits, when logged in and online. */
  runSync: () => Promise<void>;
}

/**
 * The device's state as the screens see it, and the background sync while the app is open: soon
 * after start (with a fresh list), when the network comes back, and every half minute.
 */
export function useDeviceState(store: DeviceStore): DeviceState {
  const deps = useMemo<FieldWorkDeps>(() => ({ store, api }), [store]);
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>();
  const [online, setOnline] = useState(navigator.onLine);
  const [syncing, setSyncing] = useState(false);

  const refresh = useCallback(async () => setSnapshot(await readSnapshot(store)), [store]);

  const runSync = useCallback(async () => {
    const current = await store.getMeta('session');
    if (!current || current.expired || !navigator.onLine) return;
    const settings = (await store.getMeta('settings')) ?? DEFAULT_SETTINGS;
    setSyncing(true);
    try {
      await sync(deps, current, settings.lang);
    } finally {
      setSyncing(false);
      await refresh();
    }
  }, [deps, store, refresh]);

  const startUp = useCallback(async () => {
    const current = await store.getMeta('session');
    if (current && !current.expired && navigator.onLine) {
      await download(deps, current, ((await store.getMeta('settings')) ?? DEFAULT_SETTINGS).lang);
      await refresh();
    }
    await runSync();
  }, [deps, store, refresh, runSync]);

  useEffect(() => {
    void refresh();
    const onOnline = () => {
      setOnline(true);
      void runSync();
    };
    const onOffline = () => setOnline(false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const first = setTimeout(() => void startUp(), 500);
    const timer = setInterval(() => void runSync(), 30_000);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [refresh, runSync, startUp]);

  return { deps, snapshot, online, syncing, refresh, runSync };
}
