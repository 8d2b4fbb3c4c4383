/** Escaping for the edge serialiser: text can never become markup, nor a value leave its quotes. */

const TEXT_SPECIAL = /[&<>\u0000]/
const ATTRIBUTE_SPECIAL = /[&"<>\u0000]/

export function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(/[&<>\u0000]/g, (c) => ENTITIES[c]) : text
}

export function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(/[&"<>\u0000]/g, (c) => ENTITIES[c]) : value
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\u0000': '' }
