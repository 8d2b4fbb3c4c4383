export interface RenderConfig {
  siteName: string
  /** Origin of this site, e.g. `https://news.example.org`, for canonical and og: URLs. */
  origin: string
  /** HMAC key for image-proxy URLs (see shared/image-url.ts). */
  imageKey: CryptoKey
}
