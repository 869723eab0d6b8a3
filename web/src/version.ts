declare const __APP_VERSION__: string | undefined;

/** The app's version, written in by the build (package version + build hash); it goes into each response's paradata. */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
