// GPU memory while a phase of the device check runs, polled from nvidia-smi: ONNX Runtime's CUDA allocator has no
// query the Node binding exposes. The whole GPU's use is polled, not this process's: inside a container
// nvidia-smi lists host process ids, which do not match ours, and on the lent machine the GPU is the check's alone.
import { execFile } from 'node:child_process';

export interface GpuMemory {
  /** Highest memory.used over the phase, MiB. */
  peakMb: number;
  /** memory.used at the phase's first poll (before its model loaded), MiB. */
  baselineMb: number;
}

export class GpuMemoryWatch {
  private peak: number | undefined;
  private baseline: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Numbers the phases, so that a reading still under way when one stops does not land in the next. */
  private phase = 0;

  start(): void {
    this.peak = undefined;
    this.baseline = undefined;
    const phase = ++this.phase;
    const poll = (): void => {
      execFile('nvidia-smi', ['--query-gpu=memory.used', '--format=csv,noheader,nounits'], (error, stdout) => {
        const used = Number(stdout.split('\n')[0]?.trim());
        if (error || Number.isNaN(used) || phase !== this.phase) return;
        this.baseline ??= used;
        this.peak = Math.max(this.peak ?? 0, used);
      });
    };
    poll();
    clearInterval(this.timer);
    // unref: a watch left running after an error must not keep the process alive
    this.timer = setInterval(poll, 100).unref();
  }

  /** Stops polling; undefined where nvidia-smi gave no reading. */
  stop(): GpuMemory | undefined {
    clearInterval(this.timer);
    this.timer = undefined;
    this.phase++;
    return this.peak === undefined || this.baseline === undefined
      ? undefined
      : { peakMb: this.peak, baselineMb: this.baseline };
  }
}
