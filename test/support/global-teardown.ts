export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__SIPAS_SERVICES__ ?? [];
  globalThis.__SIPAS_SERVICES__ = undefined;
  await Promise.all(services.map((s) => s.stop()));
}
