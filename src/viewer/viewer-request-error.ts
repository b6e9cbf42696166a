import { EvalError } from '../spec/index.js';

/** A viewer request that cannot be answered: a bad parameter (400) or something that does not exist (404). */
export class ViewerRequestError extends EvalError {
  static override readonly errorName = 'EVAL_ViewerRequestError';
  readonly status: 400 | 404;

  constructor(options: { status: 400 | 404; message: string; cause?: unknown }) {
    super('EVAL_ViewerRequestError', options.message, { cause: options.cause });
    this.status = options.status;
  }

  static override isInstance(error: unknown): error is ViewerRequestError {
    return EvalError.isInstance(error) && error.name === 'EVAL_ViewerRequestError';
  }
}
