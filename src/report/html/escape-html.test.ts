import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, scriptForInline } from './escape-html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x">'Tom' & Jerry</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;Tom&#39; &amp; Jerry&lt;/a&gt;');
  });

  it('leaves other text, CJK included, unchanged', () => {
    expect(escapeHtml('计算机网络 computer_network')).toBe('计算机网络 computer_network');
  });
});

describe('jsonForScript', () => {
  it('cannot close its script element, and parses back to the same value', () => {
    const value = { text: '</script><script>alert(1)</script><!-- \u2028 \u2029', list: [1, null, 'A'] };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/<\/?script|<!--/i);
    expect(json).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('scriptForInline', () => {
  it('rewrites every closing script tag, in any case, and nothing else', () => {
    const source = 'var a = "</script>"; var b = "</SCRIPT >"; var c = "<div></div>";';
    expect(scriptForInline(source)).toBe('var a = "<\\/script>"; var b = "<\\/SCRIPT >"; var c = "<div></div>";');
  });

  it('keeps the meaning of a string literal', () => {
    const rewritten = scriptForInline('"</script>"');
    expect(JSON.parse(rewritten.replace('<\\/', '</'))).toBe('</script>');
    expect(Function(`return ${rewritten};`)()).toBe('</script>');
  });
});
