// After each test, let the test worker's event loop turn once before the next test starts, so that
// vitest's own messages to its main process (task updates) are sent and answered. Long tests that
// keep the worker busy otherwise make vitest report `[vitest-worker]: Timeout calling "onTaskUpdate"`
// as an unhandled error on a loaded machine and exit 1 although every test passed (vitest-dev/vitest
// discussion 6511, issue 8164).
import { afterEach } from "vitest";

afterEach(async () => {
  await new Promise<void>((resolve) => setImmediate(resolve));
});
