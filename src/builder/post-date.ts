/**
 * Dates in front matter and file names, read with a grammar of our own rather
 * than Date.parse, which rolls 2024-02-30 over to March, reads "Jan 1 0000" as
 * 2000 and accepts years past 9999. What the README documents is read: ISO 8601
 * (`2022-11-15`, `2022-11-15T00:45:00.000Z`, `…T08:45:00+08:00`) and Jekyll's
 * `2022-11-15 08:45:00 +0800`; without a zone a time is UTC, as in YAML.
 */

/** Post URLs (/YYYY/MM/DD/…), listing keys and the sitemap hold the year as four digits. */
const FIRST_YEAR = 1000
const LAST_YEAR = 9999
const YEARS = `the year must be ${FIRST_YEAR} to ${LAST_YEAR}`

const DATE =
  /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:[ \t]*([Zz]|[+-]\d{1,2}(?::?\d{2})?))?)?$/

export type DateReading = { iso: string } | { invalid: string | undefined }

/** ISO 8601 in UTC, or why the value is not a date a post can have (undefined: it is not a date at all). */
export function readDate(value: unknown): DateReading {
  const m = typeof value === 'string' ? DATE.exec(value.trim()) : null
  if (!m) return { invalid: undefined }
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => Number(part ?? 0))
  if (year < FIRST_YEAR || year > LAST_YEAR) return { invalid: YEARS }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return { invalid: 'no such day' }
  if (hour > 23 || minute > 59 || second > 59) return { invalid: 'no such time' }
  const offset = zoneMinutes(m[8])
  if (offset === undefined) return { invalid: 'no such time zone' }
  const milliseconds = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3))
  const time = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds) - offset * 60_000
  const utcYear = new Date(time).getUTCFullYear()
  if (utcYear < FIRST_YEAR || utcYear > LAST_YEAR) return { invalid: YEARS }
  return { iso: new Date(time).toISOString() }
}

/** Minutes east of UTC: `Z`, `+08`, `+0800`, `+08:00`; none is UTC. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z' || zone === 'z') return 0
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone) ?? []
  if (Number(hours) > 23 || Number(minutes) > 59) return undefined
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes))
}
