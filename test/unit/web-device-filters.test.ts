import { deviceConcerns, readDeviceFilters, writeDeviceFilters } from '../../web/dashboards/supervisor/device-filters';

describe('the devices screen’s filters in the URL', () => {
  test('when the URL names no filter, then the defaults hold: unsent over 24 hours, silent for 3 days, every device shown', () => {
    expect(readDeviceFilters('?screen=devices')).toEqual({ province: '', postOffice: '', unsentHours: 24, silentDays: 3, show: 'all' });
  });

  test('when filters are written and read back, then they are the same, and defaults stay out of the URL', () => {
    const filters = { province: '01', postOffice: 'BD01-1', unsentHours: 48, silentDays: 3, show: 'behind' as const };
    const search = writeDeviceFilters(filters, 'r-2024');
    expect(search).toBe('?screen=devices&round=r-2024&province=01&postOffice=BD01-1&unsentHours=48&show=behind');
    expect(readDeviceFilters(search)).toEqual(filters);
  });

  test('when the URL holds nonsense, then each filter falls back to its default', () => {
    expect(readDeviceFilters('?unsentHours=-4&silentDays=abc&show=everything')).toMatchObject({ unsentHours: 24, silentDays: 3, show: 'all' });
  });

  test('when a device holds work past the threshold, is silent or behind, then it is a concern of that kind only', () => {
    const device = { unsentCompleted: 2, unsentOldHours: 30, silentDays: 0, versionBehind: true };
    expect(deviceConcerns(device, { unsentHours: 24, silentDays: 3 })).toEqual({ unsent: true, silent: false, behind: true });
    expect(deviceConcerns(device, { unsentHours: 48, silentDays: 0 })).toEqual({ unsent: false, silent: true, behind: true });
    expect(deviceConcerns({ ...device, unsentCompleted: 0, versionBehind: false }, { unsentHours: 0, silentDays: 3 })).toEqual({ unsent: false, silent: false, behind: false });
  });
});
