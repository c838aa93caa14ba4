declare const safeHtml: unique symbol;

/**
 * Markup that is safe to insert as it is: only `html` makes it, from literal template text and
 * escaped values. The brand keeps a plain string from passing for one.
 */
export interface SafeHtml {
  readonly [safeHtml]: true;
  toString(): string;
}

/** What may be interpolated: text (escaped), markup from `html` (as it is), lists of either, or nothing. */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[] | false | null | undefined;

/** Not exported: `instanceof Markup` is then proof that `html` built the value, which no data can forge. */
class Markup {
  constructor(private readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Text made safe in element content and in quoted attribute values. The backtick too: old Internet
 * Explorer took it for an attribute quote, and escaping it costs nothing.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ESCAPES[character]);
}

function render(value: HtmlValue): string {
  if (value instanceof Markup) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  // Nothing for the leftovers of `condition && html`...``; `0` is text, not a leftover.
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/**
 * The tagged template every page is written with: each `${value}` is escaped unless `html` made it
 * (nested templates, lists of them). Values go only where escaping is enough: element content and
 * double-quoted attribute values, never inside a tag name, an unquoted attribute, a URL scheme
 * position of a caller's choosing, or a script (the pages have none).
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = strings[0];
  values.forEach((value, i) => (text += render(value) + strings[i + 1]));
  return new Markup(text) as unknown as SafeHtml;
}
