export { detectIsolation, type Isolation, type IsolationLevel } from './detect-isolation.js';
export { createExecutionPool, type ExecutionPool } from './execution-pool.js';
export { PythonSandbox, type ProgramLimits, type ProgramOutcome } from './python-sandbox.js';
export { resolvePython, type PythonInterpreter } from './resolve-python.js';
