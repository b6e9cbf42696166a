"""A minimal client of sextant's HuggingFace worker protocol (v1), for the GPU checks."""
import json
import subprocess
import sys


class WorkerClient:
    def __init__(self, script, settings, env=None):
        self.process = subprocess.Popen([sys.executable, "-u", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=sys.stderr, text=True, encoding="utf-8", env=env)
        self.hello = self._read()
        assert self.hello["type"] == "hello", self.hello
        self.next_id = 1
        self.info = self.call({"type": "load", "settings": settings})

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"worker exited with {self.process.wait()}")
        return json.loads(line)

    def call(self, message):
        message = dict(message, id=self.next_id)
        self.next_id += 1
        self.process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        reply = self._read()
        if reply["type"] == "error":
            raise RuntimeError(f"worker error: {reply['error']}")
        return reply.get("outputs", reply.get("info"))

    def close(self):
        self.process.stdin.write(json.dumps({"type": "shutdown"}) + "\n")
        self.process.stdin.flush()
        self.process.wait(timeout=60)
