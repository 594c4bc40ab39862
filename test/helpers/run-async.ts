// A child process run to completion without blocking the test worker's event loop (spawnSync
// would: vitest's task-update RPC then times out on a loaded machine). Shared by the tests that
// drive chromium, python3/jupyter_client and the CLI.
import { spawn } from "node:child_process";

/** Output of {@link runAsync}. */
export interface RunResult { status: number | null; stdout: string; stderr: string }

/** Runs `cmd args`, feeding `input` on stdin; killed after `timeout` ms (default 120 s). */
export function runAsync(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeout ?? 120_000);
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
    child.stdin.end(opts.input ?? "");
  });
}
