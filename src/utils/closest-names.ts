/** Up to `count` names from `candidates` closest to `name` (Levenshtein distance, then substring matches). */
export function closestNames(name: string, candidates: readonly string[], count = 3): string[] {
  const scored = candidates.map((candidate) => ({
    candidate,
    score: candidate.includes(name) || name.includes(candidate) ? 0 : levenshtein(name, candidate),
  }));
  const limit = Math.max(3, Math.floor(name.length / 2));
  return scored
    .filter((entry) => entry.score <= limit)
    .sort((left, right) => left.score - right.score || left.candidate.localeCompare(right.candidate))
    .slice(0, count)
    .map((entry) => entry.candidate);
}

/** Levenshtein edit distance (insertions, deletions, substitutions; UTF-16 code units). */
export function levenshtein(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = (previous[column - 1] as number) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] as number) + 1, (current[column - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] as number;
}
