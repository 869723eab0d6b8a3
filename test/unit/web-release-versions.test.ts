import { compareReleaseIds, versionChains } from '../../web/dashboards/ket-qua/versions';

describe('release versions on the public site', () => {
  test('when a release is corrected, then it reads as one chain, old → new, newest chain first', () => {
    const releases = [
      { releaseId: '2024.2', corrects: '2024.1' },
      { releaseId: '2023.1', corrects: null },
      { releaseId: '2024.1', corrects: null },
      { releaseId: '2024.3', corrects: '2024.2' },
    ];
    expect(versionChains(releases)).toEqual([['2024.1', '2024.2', '2024.3'], ['2023.1']]);
  });

  test('when the corrected release is not public, then the correction starts its own chain', () => {
    expect(versionChains([{ releaseId: '2024.2', corrects: '2024.1' }])).toEqual([['2024.2']]);
  });

  test('when release numbers pass 9, then they sort by number, not by text', () => {
    expect(['2024.10', '2024.2', '2023.11'].sort(compareReleaseIds)).toEqual(['2023.11', '2024.2', '2024.10']);
  });
});
