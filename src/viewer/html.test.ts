import { describe, expect, it } from 'vitest';
import { escapeHtml, html, rawHtml } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('答案是B。 plain text')).toBe('答案是B。 plain text');
  });
});

describe('html', () => {
  it('escapes every interpolated string, including in attributes', () => {
    const payload = '"><script>alert(1)</script>';
    expect(html`<a title="${payload}">${payload}</a>`.value).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>',
    );
  });

  it('keeps nested fragments, joins lists and drops null, undefined and false', () => {
    const items = ['<b>', 'c&d'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>&lt;b&gt;</li><li>c&amp;d</li></ul>0');
  });

  it('passes rawHtml through unchanged (trusted markup only)', () => {
    expect(html`<style>${rawHtml('a > b { color: red }')}</style>`.value).toBe('<style>a > b { color: red }</style>');
  });
});
