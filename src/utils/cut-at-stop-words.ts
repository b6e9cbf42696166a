/** Cut `text` at the earliest occurrence of any stop word (OpenCompass cuts decoded text the same way). */
export function cutAtStopWords(text: string, stopWords: readonly string[]): string {
  let end = text.length;
  for (const word of stopWords) {
    if (!word) continue;
    const position = text.indexOf(word);
    if (position !== -1 && position < end) end = position;
  }
  return text.slice(0, end);
}
