import { HOME, type Listing } from '../../shared/listings.ts'

/** Where each kind of listing is served (its first page is `${path}/`) and which have feeds. */
export interface ListingRoute {
  path: string
  listing: (params: Record<string, string>) => Listing
  feeds: boolean
}

export const LISTING_ROUTES: ListingRoute[] = [
  { path: '', listing: () => HOME, feeds: true },
  { path: '/tags/:name', listing: ({ name }) => ({ kind: 'tag', name }), feeds: true },
  { path: '/categories/:name', listing: ({ name }) => ({ kind: 'category', name }), feeds: true },
  { path: '/:year{[0-9]{4}}', listing: ({ year }) => ({ kind: 'year', year }), feeds: false },
  {
    path: '/:year{[0-9]{4}}/:month{[0-9]{2}}',
    listing: ({ year, month }) => ({ kind: 'month', year, month }),
    feeds: false,
  },
]
