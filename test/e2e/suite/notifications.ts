// What the extension shows the user in notifications, recorded from inside the extension host. The suite lives inside
// the extension's development folder, so it shares the extension's `vscode` API object (and so does the bundled
// language client): replacing a `window` function here replaces it for the extension too, until disposed.
import * as vscode from 'vscode';

type MessageFunction = (message: string, ...items: unknown[]) => Thenable<unknown>;
type MessageKind = 'information' | 'warning' | 'error';
type WithProgress = typeof vscode.window.withProgress;

const WAIT_MS = 20_000;

const MESSAGE_FUNCTIONS = {
  information: 'showInformationMessage',
  warning: 'showWarningMessage',
  error: 'showErrorMessage',
} as const;

/**
 * Records every information, warning and error message and answers it "dismissed" at once (a real notification
 * would wait for a click, and a modal one would block the test).
 */
export class MessageRecorder implements vscode.Disposable {
  readonly shown: Array<{ kind: MessageKind; message: string }> = [];
  private readonly originals = new Map<string, MessageFunction>();

  constructor() {
    const window = vscode.window as unknown as Record<string, MessageFunction>;
    for (const [kind, name] of Object.entries(MESSAGE_FUNCTIONS) as Array<[MessageKind, string]>) {
      this.originals.set(name, window[name]!);
      window[name] = (message: string) => {
        this.shown.push({ kind, message });
        return Promise.resolve(undefined);
      };
    }
  }

  dispose(): void {
    const window = vscode.window as unknown as Record<string, MessageFunction>;
    for (const [name, original] of this.originals) window[name] = original;
  }
}

/** Runs `action` while recording messages; resolves with the warnings shown. */
export async function captureWarnings(action: () => Thenable<unknown>): Promise<string[]> {
  const recorder = new MessageRecorder();
  try {
    await action();
  } finally {
    recorder.dispose();
  }
  return recorder.shown.filter((m) => m.kind === 'warning').map((m) => m.message);
}

/**
 * Watches the messages of progress notifications (`window.withProgress`) while leaving them as they are: the
 * notification still shows, with its real Cancel button, and the task gets the real cancellation token.
 */
export class ProgressWatcher implements vscode.Disposable {
  readonly titles: string[] = [];
  readonly messages: string[] = [];
  private readonly original: WithProgress;
  private readonly listeners = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor() {
    const window = vscode.window as unknown as { withProgress: WithProgress };
    const original = window.withProgress;
    this.original = original;
    window.withProgress = (options, task) => {
      if (options.title) this.titles.push(options.title);
      return original(options, (progress, token) =>
        task(
          {
            report: (value) => {
              if (value.message) this.messages.push(value.message);
              progress.report(value);
              for (const listener of this.listeners) listener();
            },
          },
          token,
        ),
      );
    };
  }

  /** Resolves with the first message (seen so far or later) that `accept` takes; never settles once disposed. */
  message(accept: (message: string) => boolean, what: string): Promise<string> {
    const seen = this.messages.find(accept);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const found = this.messages.find(accept);
        if (found === undefined) return;
        clearTimeout(timer);
        this.timers.delete(timer);
        this.listeners.delete(listener);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.listeners.delete(listener);
        reject(
          new Error(
            `timed out after ${WAIT_MS} ms waiting for ${what}; progress so far: ${JSON.stringify(this.messages.slice(-3))}`,
          ),
        );
      }, WAIT_MS);
      this.timers.add(timer);
      this.listeners.add(listener);
    });
  }

  dispose(): void {
    (vscode.window as unknown as { withProgress: WithProgress }).withProgress = this.original;
    this.listeners.clear();
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }
}
