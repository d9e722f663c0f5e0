// Headless Debian Chromium driven by playwright-core, with a fresh profile in the sandbox and a bounded close
// (closing can hang for minutes after a workbench shuts down).
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM } from './paths.ts';
import type { Sandbox } from './sandbox.ts';
import { settleWithin } from './wait.ts';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(
  sandbox: Sandbox,
  profileName: string,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(sandbox.folder(profileName), {
    executablePath: CHROMIUM,
    headless: true,
    env: definedOnly(sandbox.env),
    viewport,
    args: ARGS,
    timeout: 30_000,
  });
}

export async function closeChromium(context: BrowserContext | undefined): Promise<void> {
  if (context) await settleWithin(context.close(), 5_000);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
