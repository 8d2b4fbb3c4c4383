/** Escaping for the edge serialiser: text can never become markup, nor a value leave its quotes. */

export function escapeText(text: string): string {
  return text.replace(/[&<>\u0000]/g, (c) => TEXT_ENTITIES[c])
}

export function escapeAttribute(value: string): string {
  return value.replace(/[&"<>\u0000]/g, (c) => ATTRIBUTE_ENTITIES[c])
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\u0000': '' }
const ATTRIBUTE_ENTITIES: Record<string, string> = { ...TEXT_ENTITIES, '"': '&quot;' }
