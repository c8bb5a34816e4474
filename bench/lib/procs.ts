/** Child processes of the benchmark: started on 127.0.0.1, awaited until ready, always stopped by pid. */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

const LIFELINE = resolve(dirname(fileURLToPath(import.meta.url)), "../servers/lifeline.mjs");

const live = new Set<Child>();
/** Every child ever started, for the last-resort kill when the runner exits. */
const started = new Set<Child>();

/** Stops every child still running (also on Ctrl-C and on a crash of the runner). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}

export { freePort } from "../../scripts/lib/free-port";

export interface StartOptions extends SpawnOptions {
  /** Resolves when a line of stdout/stderr matches; the match is returned. */
  ready: RegExp;
  readyTimeoutMs: number;
  /** Output is appended here (never to the terminal). */
  logFile: string;
}

export function startChild(name: string, command: string, args: string[], opts: StartOptions): Promise<{ child: Child; match: RegExpMatchArray }> {
  const { ready, readyTimeoutMs, logFile, ...spawnOpts } = opts;
  // Through the lifeline: the command gets its own process group (stopping it also stops what it
  // started, wrangler → workerd), and the group ends when our end of the lifeline's stdin closes.
  const proc = spawn(process.execPath, [LIFELINE, command, ...args], { stdio: ["pipe", "pipe", "pipe"], detached: true, ...spawnOpts });
  const log = createWriteStream(logFile, { flags: "a" });
  const child: Child = {
    name,
    proc,
    pid: proc.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        live.delete(child);
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const timer = setTimeout(() => signalGroup(proc, "SIGKILL"), 5_000);
        proc.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        signalGroup(proc, "SIGTERM");
      }),
  };
  live.add(child);
  started.add(child);
  return new Promise((resolve, reject) => {
    let buffered = "";
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${name} was not ready within ${readyTimeoutMs} ms (log: ${logFile})`)), readyTimeoutMs);
    const finish = (err: Error | null, match?: RegExpMatchArray) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) void child.stop().then(() => reject(err));
      else resolve({ child, match: match as RegExpMatchArray });
    };
    const onData = (d: Buffer) => {
      log.write(d);
      if (done) return;
      buffered = (buffered + d.toString("utf8")).slice(-8_192);
      // eslint-disable-next-line no-control-regex
      const m = buffered.replace(/\x1b\[[0-9;]*m/g, "").match(ready);
      if (m) finish(null, m);
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("error", (e) => finish(e));
    proc.once("exit", (code, sig) => {
      live.delete(child);
      finish(new Error(`${name} exited (${code ?? sig}) before it was ready (log: ${logFile})`));
    });
  });
}

function signalGroup(proc: ChildProcess, sig: NodeJS.Signals) {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, sig);
  } catch {
    try {
      proc.kill(sig);
    } catch {
      /* already gone */
    }
  }
}

/** Resident memory of a process, in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Pids of the descendants of `root` whose command name is `comm` (e.g. the workerd under Miniflare or wrangler). */
export function descendantsNamed(root: number, comm: string): number[] {
  const parent = new Map<number, number>();
  const name = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      name.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
    } catch {
      /* gone meanwhile */
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...name].filter(([pid, n]) => n === comm && isDescendant(pid)).map(([pid]) => pid);
}

// Signal the children synchronously first: another listener (tsx's, Miniflare's exit hook) may end
// the process before anything asynchronous runs. `on`, not `once`: tsx exits at once when a
// signal finds no listener.
let stopping = false;
const onSignal = (code: number) => () => {
  if (stopping) return;
  stopping = true;
  for (const c of started) if (c.proc.exitCode === null && c.proc.signalCode === null) signalGroup(c.proc, "SIGTERM");
  void stopAll().then(() => process.exit(code));
};
process.on("SIGINT", onSignal(130));
process.on("SIGTERM", onSignal(143));

/** CPU time (user + system) of processes, in seconds. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

/** Waits until the processes use under `cores` of CPU over `windowMs` (work left behind by a run has finished). */
export async function waitIdle(pids: readonly number[], { cores = 0.05, windowMs = 500, maxMs = 60_000 } = {}): Promise<number> {
  const start = performance.now();
  for (;;) {
    const before = cpuSeconds(pids);
    await new Promise((r) => setTimeout(r, windowMs));
    const used = cpuSeconds(pids) - before;
    if (used / (windowMs / 1000) < cores || performance.now() - start > maxMs) return performance.now() - start;
  }
}

/** A process and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Busy CPU time of the whole machine (all cores), in seconds, from /proc/stat. */
function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

export interface CpuUse {
  seconds: number;
  /** Average cores busy on the whole machine. */
  machineCores: number;
  /** Of which the benchmark's own processes (runner, upstream, gateways, peer). */
  benchCores: number;
  /** Of which anything else running on the machine meanwhile (other work sharing the cores). */
  otherCores: number;
}

/** Measures CPU use from now until the returned function is called. */
export function cpuMeter(): () => CpuUse {
  const t0 = performance.now();
  const machine0 = machineBusySeconds();
  const start = new Map(processTree(process.pid).map((p) => [p, cpuSeconds([p])]));
  // Processes that start and end within the measurement (a Miniflare instance of one suite) are
  // seen by sampling the tree, so their CPU is not mistaken for other work on the machine.
  const last = new Map(start);
  const sample = () => {
    for (const p of processTree(process.pid)) {
      const cpu = cpuSeconds([p]);
      if (cpu > 0 || !last.has(p)) last.set(p, cpu);
    }
  };
  const timer = setInterval(sample, 500);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample();
    const seconds = (performance.now() - t0) / 1000;
    let own = 0;
    for (const [p, cpu] of last) own += Math.max(0, cpu - (start.get(p) ?? 0));
    const machine = machineBusySeconds() - machine0;
    const r = (v: number) => Math.round((v / seconds) * 100) / 100;
    return { seconds: Math.round(seconds * 10) / 10, machineCores: r(machine), benchCores: r(own), otherCores: r(Math.max(0, machine - own)) };
  };
}
