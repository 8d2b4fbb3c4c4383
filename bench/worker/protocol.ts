/** What the bench script and the bench worker agree on. */

/** With the value `miss`: the request reaches the app as it does behind Workers Cache on a miss. */
export const EDGE_CACHE_HEADER = 'x-bench-edge-cache'

/** Every bench-only route starts with this. */
export const BENCH_PREFIX = '/_bench/'

/** Prefix of a post's path for the native HTMLRewriter anchor. */
export const NATIVE_PREFIX = '/_bench/native'

/** Prefix of a page's path for the same page as a bare Cache API hit. */
export const CACHE_API_PREFIX = '/_bench/cache-api'

/** Prefix of a post's path for rendering it N times (`?n=N`) in one request. */
export const RENDER_PREFIX = '/_bench/render'
