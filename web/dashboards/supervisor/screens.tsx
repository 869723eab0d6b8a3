import { useEffect, useState } from 'preact/hooks';
import type { Lang } from './i18n';
import { translateDevices } from './devices-i18n';

/** The dashboard's screens; which one is open is `screen=` in the URL (none: the overview). */
export const SCREENS = ['overview', 'devices'] as const;
export type Screen = (typeof SCREENS)[number];

const screenOf = (search: string): Screen => {
  const named = new URLSearchParams(search).get('screen');
  return (SCREENS as ReadonlyArray<string>).includes(named ?? '') ? (named as Screen) : 'overview';
};

/** The open screen, following the URL (back and forward included), and a way to open another at a given address. */
export function useScreen(): [Screen, (search: string) => void] {
  const [screen, setScreen] = useState<Screen>(() => screenOf(location.search));
  useEffect(() => {
    const onPop = () => setScreen(screenOf(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const open = (search: string) => {
    history.pushState(null, '', `${location.pathname}${search}`);
    setScreen(screenOf(search));
  };
  return [screen, open];
}

/** Links between the screens; `addresses` gives each screen's URL from where the supervisor is now. */
export function ScreenNav(props: { lang: Lang; screen: Screen; addresses: Readonly<Record<Screen, string>>; open: (search: string) => void }) {
  const t = translateDevices(props.lang);
  return (
    <nav aria-label={t('screens')} class="screens">
      <ul>
        {SCREENS.map((s) => (
          <li>
            <a
              href={`${location.pathname}${props.addresses[s]}`}
              aria-current={s === props.screen ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                props.open(props.addresses[s]);
              }}
            >
              {t(`screen_${s}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
