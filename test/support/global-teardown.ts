export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__SIPAS_SERVICES__ ?? [];
  await Promise.all(services.map((s) => s.stop()));
}
