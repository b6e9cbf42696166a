/**
 * The `data:` payloads of a server-sent-events stream, in order, up to `[DONE]`. Multi-line `data:` fields are
 * joined with `\n`; comments, `event:` and `id:` lines are ignored.
 */
export async function* readServerSentEvents(body: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) {
          const payload = data.join('\n');
          data = [];
          if (payload === '[DONE]') return;
          // An event whose data is empty is not dispatched (SSE standard).
          if (payload !== '') yield payload;
        }
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
      newline = buffer.indexOf('\n');
    }
  }
  const rest = data.join('\n');
  if (rest !== '' && rest !== '[DONE]') yield rest;
}
