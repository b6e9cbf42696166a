/**
 * The Python program that runs first in every sandboxed process (`python3 -I -c <this>`). It reads a JSON header
 * line and the program from stdin, applies the resource limits to itself (soft = hard, so the program cannot raise
 * them), makes stdin unreadable (as human-eval's `swallow_io` does), arms a SIGALRM time limit (as human-eval's
 * and OpenCompass's MBPP `time_limit` do), runs the program with `exec` in fresh globals, and reports `passed`,
 * `timeout` or the exception on file descriptor 3. A process that ends without a report (killed,
 * `os._exit`) reports nothing; the caller decides what that means.
 */
export const sandboxBootstrap = String.raw`
import io, json, os, resource, signal, sys
header = json.loads(sys.stdin.readline())
source = sys.stdin.read()
null_fd = os.open(os.devnull, os.O_RDONLY)
os.dup2(null_fd, 0)
os.close(null_fd)
for name, value in header["limits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
report_fd = os.dup(3)
os.close(3)
token = header["token"]
header_alarm = header["alarm"]
del header

class _UnreadableInput(io.StringIO):
    def read(self, *args, **kwargs):
        raise IOError
    def readline(self, *args, **kwargs):
        raise IOError
    def readlines(self, *args, **kwargs):
        raise IOError
    def readable(self, *args, **kwargs):
        return False

sys.stdin = _UnreadableInput()

class _TimeLimit(BaseException):
    pass

def _on_alarm(signum, frame):
    raise _TimeLimit()

signal.signal(signal.SIGALRM, _on_alarm)

def _report(status, error=None):
    line = {"token": token, "status": status}
    if error is not None:
        line["type"] = type(error).__name__
        try:
            line["message"] = str(error)
        except BaseException:
            line["message"] = "<unprintable>"
    os.write(report_fd, (json.dumps(line) + "\n").encode())

alarm = header_alarm
try:
    signal.setitimer(signal.ITIMER_REAL, alarm)
    exec(compile(source, "<program>", "exec"), {})
    signal.setitimer(signal.ITIMER_REAL, 0)
except _TimeLimit:
    _report("timeout")
except BaseException as error:
    signal.setitimer(signal.ITIMER_REAL, 0)
    _report("failed", error)
else:
    _report("passed")
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
`;
