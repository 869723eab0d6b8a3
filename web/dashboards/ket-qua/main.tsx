import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, orThrow, type PublicRelease } from '../../shared/api-client';
import { useStoredLanguage } from '../../shared/use-language';
import { translate } from './i18n';
import { ChangeLogSection } from './changes';
import { ProvincePage } from './province';
import { RankingPage } from './ranking';
import { versionChains } from './versions';

/** Which page a path is: `/ket-qua/` (the latest release), `/ket-qua/<release>/`, `/ket-qua/<release>/tinh/<code>`. */
function routeOf(pathname: string): { releaseId: string | null; province: string | null } {
  const [, , releaseId, tinh, code] = pathname.split('/');
  return { releaseId: releaseId || null, province: tinh === 'tinh' && code ? code : null };
}

function App() {
  const [lang, switchLang] = useStoredLanguage('sipas-ket-qua-lang', (l) => translate(l)('title', { year: '' }).trim());
  const t = translate(lang);
  const route = routeOf(location.pathname);
  const [release, setRelease] = useState<PublicRelease | null>(null);
  const [others, setOthers] = useState<Array<{ releaseId: string; year: number; corrects: string | null }>>([]);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    orThrow(route.releaseId ? api.publicRelease(route.releaseId) : api.latestRelease()).then(setRelease, () => setMissing(true));
    orThrow(api.publicReleases()).then((r) => setOthers(r.releases), () => undefined);
  }, [route.releaseId]);
  const date = release ? new Date(release.publishedAt).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }) : '';
  return (
    <>
      <header>
        <div>
          <h1>{release ? t('title', { year: release.year }) : 'SIPAS'}</h1>
          <p>{t('subtitle')}</p>
          {release ? <p data-testid="release-line">{t('release', { id: release.releaseId, date })}</p> : null}
          {release?.corrects ? <p class="notice">{t('correction', { id: release.corrects, reason: release.correctionReason ?? '' })}</p> : null}
          {release?.correctedBy ? (
            <p class="notice">
              <a href={`/ket-qua/${release.correctedBy}/`}>{t('correctedBy', { id: release.correctedBy })}</a>
            </p>
          ) : null}
        </div>
        <button type="button" onClick={switchLang} lang={lang === 'vi' ? 'en' : 'vi'}>
          {t('language')}
        </button>
      </header>
      {missing ? <p role="alert">{route.releaseId ? t('notFound') : t('none')}</p> : null}
      {release && route.province ? <ProvincePage release={release} code={route.province} lang={lang} /> : null}
      {release && !route.province ? <RankingPage release={release} lang={lang} /> : null}
      {release?.corrects && !route.province ? (
        <main class="after">
          <ChangeLogSection releaseId={release.releaseId} lang={lang} />
        </main>
      ) : null}
      {release ? (
        <footer>
          <p>
            {t('permalink')}: <a href={`/ket-qua/${release.releaseId}/`} data-testid="permalink">{`${location.origin}/ket-qua/${release.releaseId}/`}</a>
          </p>
          <p data-testid="versions">
            {t('versions')}:
          </p>
          <ul class="versions">
            {versionChains(others).map((chain) => (
              <li key={chain[0]}>
                {chain.map((id, i) => (
                  <span key={id}>
                    {i > 0 ? ' → ' : ''}
                    <a href={`/ket-qua/${id}/`} class="release-link" aria-current={id === release.releaseId ? 'page' : undefined}>
                      {id}
                    </a>
                  </span>
                ))}
              </li>
            ))}
          </ul>
          <p class="note">SHA-256: {release.figuresDigest}</p>
        </footer>
      ) : null}
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
