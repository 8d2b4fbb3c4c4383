import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { EMBED_HOSTS } from '../shared/html-policy.ts'

/**
 * Origins whose players an article may embed: the renderer keeps only iframes
 * from these hosts (sandboxed), and the page policy lets the browser frame
 * exactly them.
 */
export const EMBED_ORIGINS: readonly string[] = [...EMBED_HOSTS].map((host) => `https://${host}`)

/**
 * The policy of every HTML page. Pages carry no executable script (their only
 * `<script>` is JSON-LD, a data block that CSP does not govern), so scripts are
 * refused outright: no nonce to keep in step with cached HTML, nothing to
 * inject into. Styles: the layout's inline `<style>` (the sanitiser drops
 * every style from article bodies). CSS can fetch nothing but this site's own
 * images, so CSS that slipped in could neither load from nor leak to anywhere
 * else.
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'none'"],
    objectSrc: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    // Proxied images only (`/img/…`); data: for the small inline images articles keep.
    imgSrc: ["'self'", 'data:'],
    mediaSrc: ["'self'"],
    frameSrc: [...EMBED_ORIGINS],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    // The search form in every page's header (GET /search); article bodies carry no forms (sanitised).
    formAction: ["'self'"],
  },
  xFrameOptions: 'DENY',
  // Readers of a mirrored archive do not announce where they came from.
  referrerPolicy: 'no-referrer',
  permissionsPolicy: {
    accelerometer: [],
    autoplay: [],
    camera: [],
    displayCapture: [],
    encryptedMedia: ['self', ...EMBED_ORIGINS],
    fullscreen: ['self', ...EMBED_ORIGINS],
    geolocation: [],
    gyroscope: [],
    hid: [],
    idleDetection: [],
    magnetometer: [],
    microphone: [],
    midi: [],
    payment: [],
    pictureInPicture: ['self', ...EMBED_ORIGINS],
    publickeyCredentialsGet: [],
    serial: [],
    usb: [],
    xrSpatialTracking: [],
    browsingTopics: [],
  },
})

/**
 * Everything that is not a page (feeds, sitemaps, plain-text errors) and did
 * not bring its own policy: a browser that opens it runs nothing from it.
 * Responses with their own policy, like the image proxy's, keep it.
 */
const documentHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], sandbox: [] },
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  referrerPolicy: false,
  overwrite: false,
})

const done = async () => {}

/** Sets the headers after the route answered, choosing the set by what it answered with. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  // Responses from fetch() or the Cache API have immutable headers: work on a copy.
  c.res = new Response(c.res.body, c.res)
  await (isHtml(c.res.headers) ? pageHeaders : documentHeaders)(c, done)
}

function isHtml(headers: Headers): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(headers.get('content-type') ?? '')
}
