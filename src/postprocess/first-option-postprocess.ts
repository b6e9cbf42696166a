import { compilePythonPattern } from './compile-python-pattern.js';
import { stripPythonWhitespace } from './strip-python-whitespace.js';

/**
 * Default of {@link FirstOptionPostprocessOptions.fusedPatternQuirk}: reproduce OpenCompass's fused pattern, so
 * extracted answers (and so scores) are identical to OpenCompass's.
 */
export const defaultFusedPatternQuirk = true;

/** Options of {@link firstOptionPostprocess}. */
export interface FirstOptionPostprocessOptions {
  /**
   * The option letters, in priority order: when one capture contains several, the one listed first wins.
   * Must not be empty or contain `\`, `[`, `]`, `^` or `-`.
   * @default 'ABCD'
   */
  options?: string;
  /** Also try the two loose fallback ("cushion") patterns: first `X:`, then any option letter anywhere. @default true */
  cushion?: boolean;
  /**
   * OpenCompass's pattern list misses a comma after `故选?\s*([…])`, so Python joins it with the next entry into
   * one regex, `故选?\s*([…])只有选?项?\s?([…])\s?是?对`. Neither "故选X" nor "只有选项X是对" is then matched on its
   * own, and such answers fall through to later patterns (often the cushion, which takes the first letter in the
   * text). `true` keeps that behaviour so scores match OpenCompass's published numbers byte for byte; `false` uses
   * the two patterns separately, as OpenCompass PR #2600 does upstream.
   * @default true ({@link defaultFusedPatternQuirk})
   */
  fusedPatternQuirk?: boolean;
}

// OpenCompass's ordered list, in Python `re` syntax; `{options}` is replaced by the option letters. Entries 14
// and 15 (indexes 13 and 14) are the pair the missing comma fuses.
const answerPatterns: readonly string[] = [
  String.raw`答案是?\s*([{options}])`,
  String.raw`答案是?\s*：\s*([{options}])`,
  String.raw`答案是?\s*:\s*([{options}])`,
  String.raw`答案选项应?该?是\s*([{options}])`,
  String.raw`答案选项应?该?为\s*([{options}])`,
  String.raw`答案应该?是\s*([{options}])`,
  String.raw`答案应该?选\s*([{options}])`,
  String.raw`答案选项为?\s*：\s*([{options}])`,
  String.raw`答案选项为?\s+\(?\*?\*?([{options}])\*?\*?\)?`,
  String.raw`答案选项是?\s*:\s*([{options}])`,
  String.raw`答案为\s*([{options}])`,
  String.raw`答案选\s*([{options}])`,
  String.raw`选择?\s*([{options}])`,
  String.raw`故选?\s*([{options}])`,
  String.raw`只有选?项?\s?([{options}])\s?是?对`,
  String.raw`只有选?项?\s?([{options}])\s?是?错`,
  String.raw`只有选?项?\s?([{options}])\s?不?正确`,
  String.raw`只有选?项?\s?([{options}])\s?错误`,
  String.raw`说法不?对选?项?的?是\s?([{options}])`,
  String.raw`说法不?正确选?项?的?是\s?([{options}])`,
  String.raw`说法错误选?项?的?是\s?([{options}])`,
  String.raw`([{options}])\s?是正确的`,
  String.raw`([{options}])\s?是正确答案`,
  String.raw`选项\s?([{options}])\s?正确`,
  String.raw`所以答\s?([{options}])`,
  String.raw`所以\s?([{options}][.。$]?$)`,
  String.raw`所有\s?([{options}][.。$]?$)`,
  String.raw`[\s，：:,]([{options}])[。，,\.]?$`,
  String.raw`[\s，,：:][故即]([{options}])[。\.]?$`,
  String.raw`[\s，,：:]因此([{options}])[。\.]?$`,
  String.raw`[是为。]\s?([{options}])[。\.]?$`,
  String.raw`因此\s?([{options}])[。\.]?$`,
  String.raw`显然\s?([{options}])[。\.]?$`,
  String.raw`答案是\s?(\S+)(?:。|$)`,
  String.raw`答案应该是\s?(\S+)(?:。|$)`,
  String.raw`答案为\s?(\S+)(?:。|$)`,
  String.raw`(?i)ANSWER\s*:\s*([{options}])`,
  String.raw`[Tt]he answer is:?\s+\(?([{options}])\)?`,
  String.raw`[Tt]he answer is:?\s+\(?\*?\*?([{options}])\*?\*?\)?`,
  String.raw`[Tt]he answer is option:?\s+\(?([{options}])\)?`,
  String.raw`[Tt]he correct answer is:?\s+\(?([{options}])\)?`,
  String.raw`[Tt]he correct answer is option:?\s+\(?([{options}])\)?`,
  String.raw`[Tt]he correct answer is:?.*?boxed{([{options}])}`,
  String.raw`[Tt]he correct option is:?.*?boxed{([{options}])}`,
  String.raw`[Tt]he correct answer option is:?.*?boxed{([{options}])}`,
  String.raw`[Tt]he answer to the question is:?\s+\(?([{options}])\)?`,
  String.raw`^选项\s?([{options}])`,
  String.raw`^([{options}])\s?选?项`,
  String.raw`(\s|^)[{options}][\s。，,：:\.$]`,
  String.raw`1.\s?(.*?)$`,
  String.raw`1.\s?([{options}])[.。$]?$`,
];

const fusedPairIndex = 13;

const cushionPatterns: readonly string[] = [String.raw`([{options}]):`, String.raw`([{options}])`];

const forbiddenOptionCharacters = /[\\[\]^-]/;

interface CompiledPatterns {
  readonly main: readonly RegExp[];
  readonly cushion: readonly RegExp[];
}

// Keyed by quirk flag and option letters; a run uses one or two option strings, so the cache stays tiny.
const compiledCache = new Map<string, CompiledPatterns>();

/**
 * OpenCompass's `first_option_postprocess`: the option letter a model's free-text answer chose, or `''`.
 *
 * Strips the text (Python `str.strip()` whitespace), then tries OpenCompass's ordered regex list (51 patterns,
 * then the 2 cushion patterns when `cushion` is on), each searched once with DOTALL semantics. On a match it
 * takes group 1, or the whole match when group 1 is empty, and returns the first letter of `options`, in the
 * order of `options`, that occurs anywhere in it. When no letter occurs, it goes on to the next pattern.
 *
 * Not restricted to the text's first letter: for example the pattern `1.\s?(.*?)$` captures everything after
 * the first "1", and `'Step 1: C is larger than B here'` gives `B` because B precedes C in `options`.
 */
export function firstOptionPostprocess(text: string, options: FirstOptionPostprocessOptions = {}): string {
  const { options: letters = 'ABCD', cushion = true, fusedPatternQuirk = defaultFusedPatternQuirk } = options;
  const patterns = compiledPatterns(letters, fusedPatternQuirk);
  const stripped = stripPythonWhitespace(text);
  const found = firstLetterFound(stripped, patterns.main, letters);
  if (found !== '' || !cushion) return found;
  return firstLetterFound(stripped, patterns.cushion, letters);
}

function firstLetterFound(text: string, patterns: readonly RegExp[], letters: string): string {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const group = match[1];
    const capture = group === undefined || group === '' ? match[0] : group;
    for (const letter of letters) {
      if (capture.includes(letter)) return letter;
    }
  }
  return '';
}

function compiledPatterns(letters: string, fusedPatternQuirk: boolean): CompiledPatterns {
  const key = `${fusedPatternQuirk ? 'fused' : 'separate'}:${letters}`;
  const cached = compiledCache.get(key);
  if (cached !== undefined) return cached;
  if (letters === '' || forbiddenOptionCharacters.test(letters)) {
    throw new Error(`firstOptionPostprocess: options must be a non-empty string of letters without \\ [ ] ^ -, got ${JSON.stringify(letters)}`);
  }
  const compile = (pattern: string): RegExp =>
    compilePythonPattern(
      pattern.replaceAll('{options}', () => letters),
      { dotAll: true },
    );
  const compiled: CompiledPatterns = {
    main: patternSources(fusedPatternQuirk).map(compile),
    cushion: cushionPatterns.map(compile),
  };
  compiledCache.set(key, compiled);
  return compiled;
}

function patternSources(fusedPatternQuirk: boolean): readonly string[] {
  if (!fusedPatternQuirk) return answerPatterns;
  const fused = `${answerPatterns[fusedPairIndex]}${answerPatterns[fusedPairIndex + 1]}`;
  return [...answerPatterns.slice(0, fusedPairIndex), fused, ...answerPatterns.slice(fusedPairIndex + 2)];
}
