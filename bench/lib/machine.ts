/** Whole-machine CPU use from /proc/stat, to tell our processes' load from everybody else's. */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { sleep } from './util';

export interface MachineSample {
  busy: number;
  total: number;
}

export function machineSample(): MachineSample {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // user nice system idle iowait irq softirq steal: interrupt and softirq time is left out of
    // "busy", since loopback networking done for our own sockets lands there (or in ksoftirqd)
    // rather than in our processes' CPU time; steal (the hypervisor's) counts as busy.
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const busy = user + nice + system + steal;
    return { busy, total: busy + idle + iowait + irq + softirq };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Busy CPU between two samples, in % of one core (200 % = both cores of a 2-core machine). */
export function machinePercent(a: MachineSample, b: MachineSample): number {
  const total = b.total - a.total;
  return total <= 0 ? 0 : ((b.busy - a.busy) / total) * cpus().length * 100;
}

/**
 * Waits (at most maxWaitMs) until the machine is quiet: under `threshold` % of one core busy over
 * a second. Returns the last measured load, so a run on a busy machine can say so.
 */
export async function waitForQuiet(
  log: (line: string) => void,
  threshold = 15,
  maxWaitMs = 45_000,
): Promise<number> {
  const started = performance.now();
  let warned = false;
  for (;;) {
    const a = machineSample();
    await sleep(1_000);
    const load = machinePercent(a, machineSample());
    if (load < threshold) return load;
    if (performance.now() - started > maxWaitMs) {
      log(`  machine still busy (${load.toFixed(0)}% of a core used by other processes); going on`);
      return load;
    }
    if (!warned) {
      log(
        `  machine busy (${load.toFixed(0)}% of a core used by other processes); waiting up to ${maxWaitMs / 1000} s`,
      );
      warned = true;
    }
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU time (µs) of the PostgreSQL backends serving the bench's own databases (their command line
 * names the chat_bench_* database), so it is counted as ours and not as "other processes".
 */
export function benchPostgresCpuUs(): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (!cmdline.startsWith('postgres:') || !cmdline.includes('chat_bench_')) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // The process went away meanwhile.
    }
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}
