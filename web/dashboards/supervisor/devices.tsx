import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, orThrow, type DeviceListReply, type UnsentOnDevicesReply } from '../../shared/api-client';
import { DEVICE_SHOWS, deviceConcerns, readDeviceFilters, wholeNumber, writeDeviceFilters, type DeviceFilters, type DeviceShow } from './device-filters';
import type { Lang } from './i18n';
import { translateDevices } from './devices-i18n';

/**
 * The devices of the supervisor's field (their provinces or post office, as the server decides):
 * those holding unsent work past a threshold, those silent for some days, those on an older app
 * version; and, for the round, the responses devices hold that the server has not received.
 */
export function DevicesScreen(props: { lang: Lang; token: string; roundId: string | null; provinceNames: ReadonlyMap<string, string>; onLogout: () => void }) {
  const { lang, token, roundId } = props;
  const t = translateDevices(lang);
  const [filters, setFilters] = useState<DeviceFilters>(() => readDeviceFilters(location.search));
  const [list, setList] = useState<DeviceListReply | null>(null);
  const [offices, setOffices] = useState<Array<{ code: string; name: string; provinceCode: string }>>([]);
  const [unsent, setUnsent] = useState<UnsentOnDevicesReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.status === 401) props.onLogout();
    else setError((e as Error).message);
  };

  const change = (next: DeviceFilters) => {
    history.pushState(null, '', `${location.pathname}${writeDeviceFilters(next, roundId)}`);
    setFilters(next);
  };
  useEffect(() => {
    const onPop = () => setFilters(readDeviceFilters(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    orThrow(api.postOffices(token)).then((r) => setOffices(r.postOffices), fail);
  }, [token]);
  useEffect(() => {
    setList(null);
    orThrow(api.devices(token, { ...(filters.province ? { province: filters.province } : {}), ...(filters.postOffice ? { postOffice: filters.postOffice } : {}) })).then((r) => {
      setList(r);
      setError(null);
    }, fail);
  }, [token, filters.province, filters.postOffice]);
  useEffect(() => {
    if (roundId) orThrow(api.devicesUnsent(token, roundId)).then(setUnsent, fail);
  }, [token, roundId]);

  const provinceName = (code: string): string => props.provinceNames.get(code) ?? code;
  const officeName = new Map(offices.map((o) => [o.code, o.name]));
  const provinceCodes = [...new Set([...offices.map((o) => o.provinceCode), ...(list?.devices.flatMap((d) => d.provinces) ?? [])])].sort();
  const devices = list?.devices ?? [];
  const concerns = devices.map((d) => ({ device: d, ...deviceConcerns(d, filters) }));
  const count = (key: 'unsent' | 'silent' | 'behind') => concerns.filter((c) => c[key]).length;
  const shown = filters.show === 'all' ? concerns : concerns.filter((c) => c[filters.show as 'unsent' | 'silent' | 'behind']);
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale) : t('never'));
  const inView = (d: { provinces: ReadonlyArray<string>; postOffice: string | null }) =>
    (!filters.province || d.provinces.includes(filters.province)) && (!filters.postOffice || d.postOffice === filters.postOffice);
  const unsentDevices = unsent?.devices.filter(inView) ?? [];
  const unsentCount = unsentDevices.reduce((n, d) => n + d.responseIds.length, 0);

  return (
    <section aria-labelledby="devices-title" class="devices">
      <h2 id="devices-title">{t('devicesTitle')}</h2>
      {error && <p class="error" role="alert">{t('failed', { message: error })}</p>}
      <div class="filters">
        <label>
          {t('province')}{' '}
          <select name="device-province" value={filters.province} onChange={(e) => change({ ...filters, province: e.currentTarget.value, postOffice: '' })}>
            <option value="">{t('allProvinces')}</option>
            {provinceCodes.map((c) => <option value={c}>{provinceName(c)}</option>)}
          </select>
        </label>
        <label>
          {t('postOffice')}{' '}
          <select name="device-post-office" value={filters.postOffice} onChange={(e) => change({ ...filters, postOffice: e.currentTarget.value })}>
            <option value="">{t('allPostOffices')}</option>
            {offices.filter((o) => !filters.province || o.provinceCode === filters.province).map((o) => <option value={o.code}>{o.name}</option>)}
          </select>
        </label>
        <label>
          {t('unsentHours')}{' '}
          <input name="unsent-hours" type="number" min={0} max={100000} value={filters.unsentHours} onChange={(e) => change({ ...filters, unsentHours: wholeNumber(e.currentTarget.value, filters.unsentHours, 100_000) })} />
        </label>
        <label>
          {t('silentDays')}{' '}
          <input name="silent-days" type="number" min={0} max={3650} value={filters.silentDays} onChange={(e) => change({ ...filters, silentDays: wholeNumber(e.currentTarget.value, filters.silentDays, 3650) })} />
        </label>
        <label>
          {t('show')}{' '}
          <select name="show" value={filters.show} onChange={(e) => change({ ...filters, show: e.currentTarget.value as DeviceShow })}>
            {DEVICE_SHOWS.map((s) => <option value={s}>{t(`show_${s}`)}</option>)}
          </select>
        </label>
      </div>
      {!list ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : (
        <>
          <div class="totals" data-testid="device-tiles">
            <div class="tile"><span>{t('tileDevices')}</span><strong>{devices.length}</strong></div>
            <div class="tile" data-concern="unsent"><span>{t('tileUnsent', { hours: filters.unsentHours })}</span><strong>{count('unsent')}</strong></div>
            <div class="tile" data-concern="silent"><span>{t('tileSilent', { days: filters.silentDays })}</span><strong>{count('silent')}</strong></div>
            <div class="tile" data-concern="behind"><span>{t('tileBehind', { version: list.currentVersion ?? '–' })}</span><strong>{count('behind')}</strong></div>
          </div>
          {shown.length === 0 ? (
            <p>{t('noDevices')}</p>
          ) : (
            <table data-testid="devices">
              <thead>
                <tr>
                  <th>{t('device')}</th>
                  <th>{t('enumerator')}</th>
                  <th>{t('province')}</th>
                  <th>{t('postOffice')}</th>
                  <th>{t('appVersion')}</th>
                  <th>{t('lastHeard')}</th>
                  <th>{t('lastSync')}</th>
                  <th class="num">{t('unsent')}</th>
                  <th class="num">{t('oldestUnsent')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ device: d, unsent: late, silent, behind }) => (
                  <tr data-device={d.deviceId}>
                    <th scope="row">{d.deviceId}</th>
                    <td>{d.username}</td>
                    <td>{d.provinces.map(provinceName).join(', ')}</td>
                    <td>{d.postOffice ? (officeName.get(d.postOffice) ?? d.postOffice) : '–'}</td>
                    <td class={behind ? 'concern' : ''}>{d.appVersion}{behind ? ` (${t('behind')})` : ''}</td>
                    <td class={silent ? 'concern' : ''}>{d.silentDays === 0 ? t('today') : t('daysAgo', { n: d.silentDays })}</td>
                    <td>{when(d.lastSuccessfulSyncAt)}</td>
                    <td class="num">{d.unsentCompleted}</td>
                    <td class={`num${late ? ' concern' : ''}`}>{d.unsentOldHours === null ? '–' : t('hours', { n: d.unsentOldHours })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {roundId && unsent && (
        <div class="round-close" data-testid="unsent-on-devices">
          <h3>{t('closeTitle', { round: roundId })}</h3>
          {unsentCount === 0 ? (
            <p>{t('closeNone')}</p>
          ) : (
            <>
              <p class="message">{t('closeCount', { n: unsentCount, devices: unsentDevices.length })}</p>
              <table>
                <thead>
                  <tr>
                    <th>{t('device')}</th>
                    <th>{t('enumerator')}</th>
                    <th>{t('postOffice')}</th>
                    <th class="num">{t('onDevice')}</th>
                    <th>{t('responseIds')}</th>
                  </tr>
                </thead>
                <tbody>
                  {unsentDevices.map((d) => (
                    <tr data-device={d.deviceId}>
                      <th scope="row">{d.deviceId}</th>
                      <td>{d.username}</td>
                      <td>{d.postOffice ? (officeName.get(d.postOffice) ?? d.postOffice) : '–'}</td>
                      <td class="num">{d.responseIds.length}</td>
                      <td class="ids">{d.responseIds.map((id) => id.slice(0, 8)).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </section>
  );
}
