/** Browser apps besides the enumerator's (/app/), each built from web/dashboards/<name>/ and served at /<name>/; `ket-qua` is the public results site (no login). */
export const DASHBOARDS = ['supervisor', 'analyst', 'admin', 'ket-qua', 'respond'] as const;
