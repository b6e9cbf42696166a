import type { TemplateTurn } from '../../prompts/index.js';
import type { InferConfig } from '../opencompass-infer-config.js';

/** `math_500_gen` / `math_prm800k_500_0shot_cot_gen_11c4b5`: one HUMAN turn, the 0-shot chain-of-thought instruction. */
const zeroShotTurns: readonly TemplateTurn[] = [
  { role: 'HUMAN', prompt: '{problem}\nPlease reason step by step, and put your final answer within \\boxed{}.' },
];

/**
 * `math_gen_a58d9d`'s four worked examples (reference Appendix A.3, quoted exactly). The config writes its braces
 * doubled and template filling never undoes that, so the model sees `\frac{{a}}{{b}}` and `\boxed{{24}}`; the
 * first question also ends in a stray `}}`.
 */
const fourShotTurns: readonly TemplateTurn[] = [
  { role: 'HUMAN', prompt: 'Problem:\nFind the domain of the expression $\\frac{{\\sqrt{{x-2}}}}{{\\sqrt{{5-x}}}}$.}}\nSolution:' },
  {
    role: 'BOT',
    prompt:
      'The expressions inside each square root must be non-negative. Therefore, $x-2 \\ge 0$, so $x\\ge2$, and $5 - x \\ge 0$, so $x \\le 5$. Also, the denominator cannot be equal to zero, so $5-x>0$, which gives $x<5$. Therefore, the domain of the expression is $\\boxed{{[2,5)}}$.\nFinal Answer: The final answer is $[2,5)$. I hope it is correct.\n',
  },
  {
    role: 'HUMAN',
    prompt: 'Problem:\nIf $\\det \\mathbf{{A}} = 2$ and $\\det \\mathbf{{B}} = 12,$ then find $\\det (\\mathbf{{A}} \\mathbf{{B}}).$\nSolution:',
  },
  {
    role: 'BOT',
    prompt:
      'We have that $\\det (\\mathbf{{A}} \\mathbf{{B}}) = (\\det \\mathbf{{A}})(\\det \\mathbf{{B}}) = (2)(12) = \\boxed{{24}}.$\nFinal Answer: The final answer is $24$. I hope it is correct.\n',
  },
  {
    role: 'HUMAN',
    prompt:
      'Problem:\nTerrell usually lifts two 20-pound weights 12 times. If he uses two 15-pound weights instead, how many times must Terrell lift them in order to lift the same total weight?\nSolution:',
  },
  {
    role: 'BOT',
    prompt:
      'If Terrell lifts two 20-pound weights 12 times, he lifts a total of $2\\cdot 12\\cdot20=480$ pounds of weight. If he lifts two 15-pound weights instead for $n$ times, he will lift a total of $2\\cdot15\\cdot n=30n$ pounds of weight. Equating this to 480 pounds, we can solve for $n$: \\begin{{align*}} 30n&=480\\\\ \\Rightarrow\\qquad n&=480/30=\\boxed{{16}} \\end{{align*}}\nFinal Answer: The final answer is $16$. I hope it is correct.\n',
  },
  {
    role: 'HUMAN',
    prompt:
      'Problem:\nIf the system of equations: \\begin{{align*}} 6x-4y&=a,\\\\ 6y-9x &=b. \\end{{align*}}has a solution $(x, y)$ where $x$ and $y$ are both nonzero, find $\\frac{{a}}{{b}},$ assuming $b$ is nonzero.\nSolution:',
  },
  {
    role: 'BOT',
    prompt:
      'If we multiply the first equation by $-\\frac{{3}}{{2}}$, we obtain $$6y-9x=-\\frac{{3}}{{2}}a.$$Since we also know that $6y-9x=b$, we have $$-\\frac{{3}}{{2}}a=b\\Rightarrow\\frac{{a}}{{b}}=\\boxed{{-\\frac{{2}}{{3}}}}.$$\nFinal Answer: The final answer is $-\\frac{{2}}{{3}}$. I hope it is correct.\n',
  },
  { role: 'HUMAN', prompt: 'Problem:\n{problem}\nSolution:\n' },
];

/** `math_500_gen` and `math_prm800k_500_0shot_cot_gen_11c4b5` (version `11c4b5`): zero retriever, the model's `max_out_len`. */
export const mathZeroShotInferConfig: InferConfig = {
  promptTemplate: { template: { round: zeroShotTurns } },
  retriever: { kind: 'zero' },
  inferencer: { kind: 'gen' },
};

/** `math_gen_a58d9d` (HEAD `math_gen`): the 4-shot template, the model's `max_out_len`. */
export const mathFourShotInferConfig: InferConfig = {
  promptTemplate: { template: { round: fourShotTurns } },
  retriever: { kind: 'zero' },
  inferencer: { kind: 'gen' },
};

/** Legacy `math_gen_265cce` (until 2025-04-08): the same 4-shot template with `max_out_len` 512. */
export const mathLegacyInferConfig: InferConfig = {
  promptTemplate: { template: { round: fourShotTurns } },
  retriever: { kind: 'zero' },
  inferencer: { kind: 'gen', maxOutLen: 512 },
};
