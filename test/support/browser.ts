import { chromium, type Browser } from 'playwright-core';
import { mongoAvailable } from './system';

export const chromiumPath = process.env.SIPAS_TEST_CHROMIUM;

/** `describe` for browser suites: skipped, with global setup's loud line, when there is no Chromium. */
export const describeWithBrowser: jest.Describe = chromiumPath ? describe : describe.skip;

/** `describe` for browser suites that also boot the system (MongoDB). */
export const describeWithBrowserAndMongo: jest.Describe = chromiumPath && mongoAvailable ? describe : describe.skip;

/** Headless Chromium, quiet: no background traffic, no updates, no GPU. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
