/** Browser apps besides the enumerator's (/app/), each built from web/dashboards/<name>/ and served at /<name>/. */
export const DASHBOARDS = ['supervisor', 'analyst', 'respond'] as const;
