import { EvalError } from '../spec/index.js';

/**
 * An argument passed to a `stats` function is outside its domain: a non-integer count, a confidence level outside
 * (0, 1), an outcome that is not 0 or 1, paired runs of different lengths, an empty subset. `parameter` names the
 * offending option (e.g. `subsets[3].outcomes[7]`).
 */
export class StatisticsInputError extends EvalError {
  static override readonly errorName = 'EVAL_StatisticsInputError';
  readonly parameter: string;

  constructor(options: { message: string; parameter: string }) {
    super('EVAL_StatisticsInputError', `${options.parameter}: ${options.message}`);
    this.parameter = options.parameter;
  }

  static override isInstance(error: unknown): error is StatisticsInputError {
    return EvalError.isInstance(error) && error.name === 'EVAL_StatisticsInputError';
  }
}
