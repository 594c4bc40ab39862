"""Runs cells on a Jupyter kernel with jupyter_client and prints what came back, as JSON.

usage: python3 run_cells.py <kernel_name> <cwd> <out.json> < cells.json
cells.json is a list of source strings. Writes a list (one entry per cell) of
{"status": execute_reply status, "reply": the execute_reply content, "input_count": the execution_count
of the execute_input message (None without one), "outputs": [{"msg_type", "content"}...]}, then {"kernel_info"},
to out.json (not stdout: the kernel shares stdout, and Node makes the pipe non-blocking, which
can cut a large write short).
Exits 3 when jupyter_client is missing (the test skips then).
"""
import json
import sys
import time

try:
    from jupyter_client.manager import start_new_kernel
except ImportError:  # pragma: no cover
    sys.exit(3)


def main():
    kernel_name, cwd, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    cells = json.load(sys.stdin)
    km, kc = start_new_kernel(kernel_name=kernel_name, cwd=cwd, startup_timeout=60)
    results = []
    try:
        for src in cells:
            msg_id = kc.execute(src)
            outputs = []
            input_count = None
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                t = msg["msg_type"]
                if t == "execute_input":
                    input_count = msg["content"].get("execution_count")
                if t == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if t in ("stream", "display_data", "update_display_data", "execute_result", "error"):
                    outputs.append({"msg_type": t, "content": msg["content"]})
            reply = kc.get_shell_msg(timeout=60)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = kc.get_shell_msg(timeout=60)
            results.append({"status": reply["content"]["status"], "reply": reply["content"], "input_count": input_count, "outputs": outputs})
            if reply["content"]["status"] == "error":
                time.sleep(0.3)  # tslab aborts requests that arrive within 200 ms of a failure
        info = kc.kernel_info(reply=True, timeout=30)
        results.append({"kernel_info": info["content"]})
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
