import { escapeHtml, html } from './html.js';

describe('html', () => {
  it('escapes & < > " \' and ` in every interpolated value', () => {
    expect(html`<p title="${`"'\``}">${'<b>Tom & Jerry</b>'}</p>`.toString()).toBe(
      '<p title="&quot;&#39;&#96;">&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</p>',
    );
  });

  it('leaves the literal template text as written', () => {
    expect(html`<a href="/x?a=1&b=2">"it's"</a>`.toString()).toBe(`<a href="/x?a=1&b=2">"it's"</a>`);
  });

  it('inserts markup it made as it is, once escaped', () => {
    const inner = html`<em>${'<i>'}</em>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><em>&lt;i&gt;</em></p>');
  });

  it('joins lists of markup, escaping the text in them', () => {
    const items = ['a', '<b>'].map((item) => html`<li>${item}</li>`);
    expect(html`${items}`.toString()).toBe('<li>a</li><li>&lt;b&gt;</li>');
    expect(html`${['<', html`<br />`]}`.toString()).toBe('&lt;<br />');
  });

  it('renders nothing for false, null and undefined, and numbers as text', () => {
    expect(html`[${false}${null}${undefined}${0}${''}]`.toString()).toBe('[0]');
  });

  it('does not take a string that looks like markup, or an object pretending to be it, for markup', () => {
    const forged = { toString: () => '<script>' } as unknown as string;
    expect(html`${forged}`.toString()).toBe('&lt;script&gt;');
    expect(html`${String(html`<b></b>`)}`.toString()).toBe('&lt;b&gt;&lt;/b&gt;');
  });

  it('escapes an ampersand before the rest, so entities are not doubled wrongly', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});
