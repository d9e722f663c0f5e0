// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) on machines where
// VS Code cannot be downloaded. It takes the desktop CLI flags runTests passes (--extensionDevelopmentPath=,
// --extensionTestsPath=, --user-data-dir=, --extensions-dir=, a folder), starts a private code-server, opens the
// workbench in headless Chromium with the web "payload" that makes code-server's Node extension host load the
// development extension and run the tests, streams the extension host's console, and exits with its exit code.
// Bundled to out/e2e/code-server-stand-in.cjs (executable) by test/e2e/build.ts.
import { resolve } from 'node:path';
import { format } from 'node:util';
import { closeChromium, launchChromium } from './lib/chromium.ts';
import { createProfile, startCodeServer, type CodeServer } from './lib/code-server.ts';
import { createSandbox } from './lib/sandbox.ts';
import { withTimeout } from './lib/wait.ts';
import { QUIET_USER_SETTINGS } from './lib/workspace.ts';
import type { BrowserContext } from 'playwright-core';

const RUN_TIMEOUT_MS = Number(process.env.CANCERLLM_E2E_SUITE_TIMEOUT_MS ?? 240_000);
// Workbench chatter that says nothing about the tests; the gallery lookup fails offline, harmlessly.
const NOISE =
  /^(Resolving|Resolved|Creating a socket|Updating additional|\[Service Worker\]|ChatSessionStore)|ENOTFOUND open-vsx\.org/;

interface Invocation {
  developmentPaths: string[];
  testsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

function parse(argv: string[]): Invocation {
  const invocation: Invocation = { developmentPaths: [] };
  for (const arg of argv) {
    const flag = /^--([^=]+)=(.*)$/.exec(arg);
    const [, name, value] = flag ?? [];
    if (name === 'extensionDevelopmentPath' && value) invocation.developmentPaths.push(resolve(value));
    else if (name === 'extensionTestsPath' && value) invocation.testsPath = resolve(value);
    else if (name === 'user-data-dir' && value) invocation.userDataDir = resolve(value);
    else if (name === 'extensions-dir' && value) invocation.extensionsDir = resolve(value);
    else if (!arg.startsWith('-') && !invocation.folder) invocation.folder = resolve(arg);
    // Desktop-only flags (--no-sandbox, --disable-updates, --skip-welcome, ...) do not apply to code-server.
  }
  return invocation;
}

function workbenchUrl(server: CodeServer, invocation: Invocation): string {
  // Payload URIs must be vscode-remote://HOST/abs/path: the server maps them to files; file:// ones are ignored.
  const payload = invocation.developmentPaths.map((path) => [
    'extensionDevelopmentPath',
    `vscode-remote://${server.host}${path}`,
  ]);
  if (invocation.testsPath)
    payload.push(['extensionTestsPath', `vscode-remote://${server.host}${invocation.testsPath}`]);
  const target = invocation.folder ? `folder=${encodeURIComponent(invocation.folder)}` : 'ew=true';
  return `${server.origin}/?${target}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function runTestsInCodeServer(invocation: Invocation): Promise<number> {
  const sandbox = createSandbox('stand-in');
  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  try {
    const profile = createProfile(sandbox, QUIET_USER_SETTINGS, {
      userDataDir: invocation.userDataDir,
      extensionsDir: invocation.extensionsDir,
    });
    // runTests passes --disable-workspace-trust; code-server gets the same.
    server = await startCodeServer(profile, { workspaceTrust: false });
    browser = await launchChromium(sandbox, 'chromium');
    const page = browser.pages()[0] ?? (await browser.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolveExit) => (reportExit = resolveExit));
    // The workbench forwards the extension host's console and exit code to these when they exist (test automation).
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const line = format(...(Array.isArray(args) ? (args as unknown[]) : [args]));
      if (!NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await page.goto(workbenchUrl(server, invocation), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return await withTimeout(exited, RUN_TIMEOUT_MS, 'the extension host to finish the tests (codeAutomationExit)');
  } catch (error) {
    console.error(`code-server stand-in: ${(error as Error).message}`);
    if (server) console.error(`code-server log (last 3000 characters):\n${server.log().slice(-3000)}`);
    return 1;
  } finally {
    await closeChromium(browser);
    await server?.stop();
    sandbox.dispose();
  }
}

void runTestsInCodeServer(parse(process.argv.slice(2))).then((code) => process.exit(code));
