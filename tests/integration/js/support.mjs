// Starts a real localaws binary on a free port for node:test suites.
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const SANITIZER_MARKERS = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
  "SUMMARY: UndefinedBehaviorSanitizer"];

export function localawsBin() {
  if (process.env.LOCALAWS_BIN) return process.env.LOCALAWS_BIN;
  for (const c of ["build/dev/emulator/localaws", "build/release/emulator/localaws"]) {
    if (existsSync(join(ROOT, c))) return join(ROOT, c);
  }
  throw new Error("set LOCALAWS_BIN to the localaws binary");
}

export async function startLocalaws({ args = [], accounts } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "localaws-js-"));
  const ready = join(dir, "ready");
  const cmd = ["--port", "0", "--ready-file", ready, "--data-dir", join(dir, "data"), ...args];
  if (accounts) {
    writeFileSync(join(dir, "accounts.json"), JSON.stringify(accounts));
    cmd.push("--accounts", join(dir, "accounts.json"));
  }
  const proc = spawn(localawsBin(), cmd, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => { log = (log + d).slice(-20000); });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (existsSync(ready)) {
      const endpoint = readFileSync(ready, "utf8").trim();
      if (endpoint) {
        return {
          endpoint,
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
          region: "us-east-1",
          log: () => log,
          async stop() {
            if (proc.exitCode === null && proc.signalCode === null) {
              const exited = new Promise((r) => proc.once("exit", r));
              proc.kill("SIGTERM");
              await exited;
            }
            rmSync(dir, { recursive: true, force: true });
            // The asan build aborts on the first report; a test must not pass over one.
            const m = SANITIZER_MARKERS.find((s) => log.includes(s));
            if (m) throw new Error("sanitizer report in the localaws log:\n" + log.slice(log.indexOf(m) - 200));
          },
        };
      }
    }
    if (proc.exitCode !== null) throw new Error("localaws exited: " + log);
    await new Promise((r) => setTimeout(r, 10));
  }
  proc.kill("SIGKILL");
  throw new Error("localaws did not become ready: " + log);
}
