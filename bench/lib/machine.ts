/** The machine, date and command a run's figures come from. */
import { execFileSync } from "node:child_process";
import { cpus, platform, release, totalmem } from "node:os";
import { REPO } from "./gateway-miniflare";

export interface MachineInfo {
  date: string;
  command: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  freeG: string;
  node: string;
  os: string;
  commit: string;
}

const sh = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { cwd: REPO, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "unavailable";
  }
};

export function machineInfo(command: string): MachineInfo {
  const dirty = sh("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
  return {
    date: new Date().toISOString(),
    command,
    nproc: Number(sh("nproc", [])) || cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeG: sh("free", ["-g"]),
    node: process.version,
    os: `${platform()} ${release()}`,
    commit: sh("git", ["rev-parse", "--short", "HEAD"]) + (dirty ? " (with uncommitted changes)" : ""),
  };
}
