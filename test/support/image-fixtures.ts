/**
 * What the test image origin (image-origin.ts) serves, shared with the workerd
 * tests that check the proxy passes it on byte for byte. Pure data: it loads
 * in Node and in workerd alike.
 */

/** 4×3 gradients made with ImageMagick / cwebp, metadata stripped. */
export const IMAGES = {
  'photo.jpg': {
    type: 'image/jpeg',
    base64:
      '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAADAAQDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAYEAEAAwEAAAAAAAAAAAAAAAAAAgQVVP/EABUBAQEAAAAAAAAAAAAAAAAAAAQH/8QAHBEAAQQDAQAAAAAAAAAAAAAAAgAVktEEBVNU/9oADAMBAAIRAxEAPwCD6dzomAv7NrvOEBpHds7ucitf/9k=',
  },
  'photo.png': {
    type: 'image/png',
    base64:
      'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADEAIAAABrBuXSAAAAHElEQVQI12P8/58BK2BsYGBgaMAmwcDAwIBNFwDpJwUAM9KvJAAAAABJRU5ErkJggg==',
  },
  'photo.gif': {
    type: 'image/gif',
    base64:
      'R0lGODlhBAADAPEAAP8AAAAA/4AAgAAAACH5BAAAAAAAIf8LSW1hZ2VNYWdpY2sNZ2FtbWE9MC40NTQ1NQAsAAAAAAQAAwAAAgWEISnBUQA7',
  },
  'photo.webp': {
    type: 'image/webp',
    base64: 'UklGRi4AAABXRUJQVlA4TCEAAAAvA4AAABcQAoKi65YTkCT4vOfNf/gUCASSJJecOKL/0QAA',
  },
} as const

export type ImageName = keyof typeof IMAGES

/** An SVG that would run a script if it were opened as a document without the proxy's CSP. */
export const SCRIPTED_SVG =
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3">' +
  '<script>fetch("/steal?c=" + document.cookie)</script><rect width="4" height="3" fill="red"/></svg>\n'

/** An error page some servers send with an image Content-Type. */
export const HTML_ERROR_PAGE =
  '<!doctype html><html><body><h1>Hotlinking forbidden</h1><p>upstream-secret-text</p></body></html>\n'

/** Text the origin puts in its 404 and 500 bodies; the proxy must never echo it. */
export const UPSTREAM_ERROR_TEXT = 'upstream-secret-text'

/** Validators the origin sends with every fixture image. */
export const ETAG = (name: string) => `"${name}-v1"`
export const LAST_MODIFIED = 'Tue, 15 Nov 2022 00:45:00 GMT'

/** The size of the oversized bodies: twice the proxy's default limit. */
export const BIG_BYTES = 20 * 1024 * 1024

/** The Referer /hotlink/article.png requires: the page of the article the image belongs to. */
export const ARTICLE_REFERER = 'https://article.example/'

/** One entry of the origin's request log (`GET /__requests`). */
export interface LoggedRequest {
  /** Path and query, as requested. */
  url: string
  method: string
  headers: Record<string, string | string[] | undefined>
}

export function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the test image origin. */
    imageOrigin: string
  }
}
