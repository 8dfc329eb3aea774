import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100; // The Linux default.
    }
  }
  return clockTicks;
}

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc; null where /proc is missing.
 * Used for the server process, which the harness cannot ask directly.
 */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return (utime + stime) / ticksPerSecond();
  } catch {
    return null;
  }
}

/**
 * CPU seconds all cores have spent busy (everything but idle and iowait) since boot, from /proc/stat; null where
 * /proc is missing. The difference over a run, minus server and generator, is what other processes took.
 */
export function systemBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    if (ticks.length < 5 || ticks.some((value) => !Number.isFinite(value))) return null;
    // user nice system idle iowait irq softirq steal (guest time is already inside user and nice).
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) / ticksPerSecond();
  } catch {
    return null;
  }
}
