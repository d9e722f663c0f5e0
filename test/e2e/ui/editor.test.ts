// The packaged .vsix in a real VS Code workbench (code-server in headless Chromium): installed with
// --install-extension into a throwaway profile, a sample note opened as a user would, and what the user sees checked:
// squiggles, code lenses, the status bar item, the hover, the Problems panel, and annotation in Restricted Mode.
// Screenshots go to test-artifacts/e2e/. Bundled to out/e2e/editor.test.cjs and run with `node --test`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { closeChromium, launchChromium } from '../lib/chromium.ts';
import {
  createProfile,
  runCodeServerCommand,
  startCodeServer,
  type CodeServer,
  type CodeServerProfile,
} from '../lib/code-server.ts';
import { ARTIFACTS, EXTENSION_ID, missingTools, VSIX } from '../lib/paths.ts';
import { createSandbox, type Sandbox } from '../lib/sandbox.ts';
import { createWorkspace, QUIET_USER_SETTINGS } from '../lib/workspace.ts';

const NOTE = 'breast-pathology.note';
const TEST_TIMEOUT_MS = 90_000;
const WORKBENCH_MS = 60_000;
const ANALYSIS_MS = 45_000;

let sandbox: Sandbox;
let profile: CodeServerProfile;
let server: CodeServer;
let browser: BrowserContext;

before(
  async () => {
    const missing = missingTools();
    if (missing) throw new Error(missing);
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\``);
    mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = createSandbox('ui');
    profile = createProfile(sandbox, {
      ...QUIET_USER_SETTINGS,
      // Trust stays on (no --disable-workspace-trust): each new folder asks, so Restricted Mode can be tested.
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'always',
      'workbench.colorTheme': 'Default Light Modern',
      'editor.minimap.enabled': false,
      'editor.hover.delay': 100,
    });
    await runCodeServerCommand(profile, ['--install-extension', VSIX]);
    server = await startCodeServer(profile, { workspaceTrust: true });
    browser = await launchChromium(sandbox, 'chromium', { width: 1280, height: 800 });
  },
  { timeout: 120_000 },
);

after(async () => {
  await closeChromium(browser);
  await server?.stop();
  sandbox?.dispose();
});

test('code-server lists the packaged extension as installed', { timeout: TEST_TIMEOUT_MS }, async () => {
  const listed = await runCodeServerCommand(profile, ['--list-extensions', '--show-versions']);
  assert.match(listed, new RegExp(`^${EXTENSION_ID}@0\\.1\\.0$`, 'm'));
});

describe('a sample note in a trusted workspace', () => {
  let page: Page;

  before(
    async () => {
      page = await browser.newPage();
      await openWorkspace(page, createWorkspace(sandbox, 'trusted-workspace'), 'Yes, I trust the authors');
      await openNote(page, NOTE);
    },
    { timeout: TEST_TIMEOUT_MS },
  );
  after(() => page?.close());

  test(
    'diagnostics render as squiggles, with the status bar item "CancerLLM: rules"',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      await expectVisible(
        page,
        '.monaco-editor .squiggly-info',
        ANALYSIS_MS,
        'information squiggles (present mentions)',
      );
      await expectVisible(
        page,
        '.statusbar-item:has-text("CancerLLM: rules")',
        ANALYSIS_MS,
        'the status bar item "CancerLLM: rules"',
      );
    },
  );

  test(
    'code lenses render above the note: the summary and the generation commands',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      await expectVisible(
        page,
        '.monaco-editor .codelens-decoration:has-text("Generate Treatment Plan")',
        ANALYSIS_MS,
        'the code lens "Generate Treatment Plan"',
      );
      const lenses = (await page.locator('.monaco-editor .codelens-decoration').first().innerText()).replace(
        /\s+/g,
        ' ',
      );
      assert.match(lenses, /Generate Diagnosis/);
      await page.screenshot({ path: join(ARTIFACTS, 'editor-annotations.png') });
    },
  );

  test('hovering the TNM shows the mention: type, assertion and source', { timeout: TEST_TIMEOUT_MS }, async () => {
    const line = page.locator('.monaco-editor .view-line', { hasText: 'Pathologic stage:' });
    await line.locator('span', { hasText: /^pT2/ }).last().hover({ timeout: 10_000 });
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Assertion: present' });
    await hover.first().waitFor({ timeout: 15_000 });
    assert.match(await hover.first().innerText(), /TNM/);
    await page.screenshot({ path: join(ARTIFACTS, 'editor-hover.png') });
    await page.keyboard.press('Escape');
  });

  test(
    'clicking the "Generate Treatment Plan" lens without a model shows a warning notification',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      await page
        .locator('.monaco-editor .codelens-decoration a', { hasText: 'Generate Treatment Plan' })
        .first()
        .click({ timeout: 10_000 });
      await expectVisible(
        page,
        '.notification-toast:has-text("Generate Treatment Plan needs a language model")',
        15_000,
        'the no-model warning notification',
      );
      await page.keyboard.press('Escape');
    },
  );

  test('the Problems panel lists the mentions, the TNM among them', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Shift+M');
    await expectVisible(
      page,
      '.markers-panel .monaco-list-row:has-text("rules")',
      15_000,
      'rows from "rules" in the Problems panel',
    );
    // The list is virtualised: filter it so the TNM row is rendered wherever it is in the note.
    await page.getByPlaceholder(/^Filter \(e\.g\./).fill('TNM');
    await expectVisible(
      page,
      '.markers-panel .monaco-list-row:has-text("TNM pT2 N1a M0")',
      15_000,
      'the Problems row "TNM pT2 N1a M0"',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'problems-panel.png') });
  });
});

describe('a sample note in an untrusted workspace (Restricted Mode)', () => {
  let page: Page;

  before(
    async () => {
      page = await browser.newPage();
      await openWorkspace(page, createWorkspace(sandbox, 'untrusted-workspace'), "No, I don't trust the authors");
    },
    { timeout: TEST_TIMEOUT_MS },
  );
  after(() => page?.close());

  test('the rule engine still annotates (untrustedWorkspaces: limited)', { timeout: TEST_TIMEOUT_MS }, async () => {
    await expectVisible(
      page,
      '.statusbar-item:has-text("Restricted Mode")',
      15_000,
      'the "Restricted Mode" status bar item',
    );
    await openNote(page, NOTE);
    await expectVisible(page, '.monaco-editor .squiggly-info', ANALYSIS_MS, 'information squiggles in Restricted Mode');
    await page.screenshot({ path: join(ARTIFACTS, 'restricted-mode.png') });
  });
});

/** Opens the workbench on a folder and answers the workspace-trust prompt with the given button. */
async function openWorkspace(page: Page, folder: string, trustAnswer: string): Promise<void> {
  await page.goto(`${server.origin}/?folder=${encodeURIComponent(folder)}`, {
    waitUntil: 'domcontentloaded',
    timeout: WORKBENCH_MS,
  });
  await expectVisible(page, '.monaco-workbench', WORKBENCH_MS, 'the workbench');
  const answer = page.getByRole('button', { name: trustAnswer, exact: true });
  await guarded(
    page,
    'trust-prompt',
    () => answer.click({ timeout: WORKBENCH_MS }),
    `the workspace-trust prompt with "${trustAnswer}"`,
  );
}

/** Opens a note from the Explorer as a user would (single click: preview editor). */
async function openNote(page: Page, name: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await guarded(page, 'explorer', () => row.click({ timeout: WORKBENCH_MS }), `the Explorer row ${name}`);
  await expectVisible(page, `.tabs-container .tab:has-text("${name}")`, 30_000, `the editor tab of ${name}`);
  await expectVisible(page, '.monaco-editor .view-lines', 30_000, 'the editor text');
}

async function expectVisible(page: Page, selector: string, timeout: number, what: string): Promise<void> {
  await guarded(page, what, () => page.locator(selector).first().waitFor({ state: 'visible', timeout }), what);
}

/** Runs a UI step; on failure saves a screenshot and rethrows with what the step waited for. */
async function guarded(page: Page, name: string, step: () => Promise<void>, what: string): Promise<void> {
  try {
    await step();
  } catch (error) {
    const shot = join(ARTIFACTS, `failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined); // the page may be gone; the error below says why
    throw new Error(`UI: did not see ${what} (screenshot ${shot}): ${(error as Error).message.split('\n')[0]}`);
  }
}
