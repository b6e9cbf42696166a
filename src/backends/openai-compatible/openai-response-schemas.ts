import { z } from 'zod';

/** The parts of OpenAI-compatible responses sextant reads; servers add fields freely. */
export const modelsResponseSchema = z.object({
  data: z.array(z.object({ id: z.string() })),
});

const usageSchema = z
  .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
  .nullish();

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
