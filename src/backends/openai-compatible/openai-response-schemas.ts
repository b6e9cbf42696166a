import { z } from 'zod';

/** The parts of OpenAI-compatible responses sextant reads; servers add fields freely. */
export const modelsResponseSchema = z.object({
  data: z.array(z.object({ id: z.string() })),
});

const usageSchema = z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullish();

export const chatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), reasoning_content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: usageSchema,
});

export const textCompletionSchema = z.object({
  choices: z.array(z.object({ text: z.string(), finish_reason: z.string().nullish() })).min(1),
  usage: usageSchema,
});

export const chatChunkSchema = z.object({
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).partial().nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: usageSchema,
});

export const textChunkSchema = z.object({
  choices: z.array(z.object({ text: z.string().nullish(), finish_reason: z.string().nullish() })),
  usage: usageSchema,
});

/**
 * A `/v1/completions` answer to `echo: true` with `logprobs` (vLLM): per token of the prompt and then of the
 * generation, its text, log-probability (null for the first prompt token) and top alternatives.
 */
export const echoLogprobsCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        logprobs: z.object({
          tokens: z.array(z.string()),
          token_logprobs: z.array(z.number().nullable()),
          top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.object({ completion_tokens: z.number().int().nonnegative() }),
});

/** vLLM's `POST /tokenize` answer. */
export const tokenizeResponseSchema = z.object({ count: z.number().int().nonnegative() });
