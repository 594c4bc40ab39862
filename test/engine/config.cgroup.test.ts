// The default worker count follows the container's CPU quota: cgroup v2 cpu.max and cgroup v1
// cfs_quota_us/cfs_period_us, in the formats the Linux kernel documents
// (Documentation/admin-guide/cgroup-v2.rst "cpu.max"; cgroup-v1/cfs quota -1 = unlimited).
import { describe, expect, it } from "vitest";
import { cgroupCpuQuota, defaultWorkers } from "../../dist/engine/config.js";

const files = (m: Record<string, string>) => (f: string): string | null => m[f] ?? null;

describe("cgroup CPU quota", () => {
  it("reads cgroup v2 cpu.max", () => {
    expect(cgroupCpuQuota(files({ "/sys/fs/cgroup/cpu.max": "200000 100000\n" }))).toBe(2);
    expect(cgroupCpuQuota(files({ "/sys/fs/cgroup/cpu.max": "150000 100000\n" }))).toBe(1.5);
    expect(cgroupCpuQuota(files({ "/sys/fs/cgroup/cpu.max": "max 100000\n" }))).toBeNull();
  });
  it("reads cgroup v1 cfs quota and period", () => {
    expect(cgroupCpuQuota(files({ "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "400000\n", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n" }))).toBe(4);
    expect(cgroupCpuQuota(files({ "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "-1\n", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n" }))).toBeNull();
    expect(cgroupCpuQuota(files({}))).toBeNull();
  });
  it("caps the cores by the quota, rounding down, at least one worker", () => {
    expect(defaultWorkers(16, 2)).toBe(2);
    expect(defaultWorkers(16, 1.5)).toBe(1);
    expect(defaultWorkers(16, 0.5)).toBe(1);
    expect(defaultWorkers(4, 8)).toBe(4);
    expect(defaultWorkers(4, null)).toBe(4);
  });
});
