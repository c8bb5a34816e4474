// Runs a command (argv after this file) in its own process group and ends that group when this
// process's stdin closes, i.e. when the benchmark runner that holds the other end goes away for
// whatever reason (crash, signal, kill). Without it a killed runner leaves servers behind.
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], detached: true });
let ending = false;
const end = (signal) => {
  if (ending) return;
  ending = true;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
  setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* gone */
    }
    process.exit(1);
  }, 5_000).unref();
};
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.stdin.on("end", () => end("SIGTERM"));
process.stdin.on("close", () => end("SIGTERM"));
process.stdin.resume();
process.on("SIGTERM", () => end("SIGTERM"));
process.on("SIGINT", () => end("SIGTERM"));
