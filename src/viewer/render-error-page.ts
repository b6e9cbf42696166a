import { html } from './html.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';

const titles: Readonly<Record<number, string>> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  500: 'Something went wrong',
};

/** An error page: the status, and the message as text. */
export function renderErrorPage(options: { status: number; message: string }): string {
  const title = titles[options.status] ?? `Error ${options.status}`;
  return renderLayout({
    title,
    heading: html`${title} <span class="muted small">${options.status}</span>`,
    body: html`<p class="notice">${options.message}</p><p><a href="${viewerUrls.runs()}">Back to the runs</a></p>`,
  });
}
