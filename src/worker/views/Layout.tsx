import type { Child } from 'hono/jsx'

export interface LayoutProps {
  siteName: string
  title: string
  lang?: string
  children: Child
}

/** The page shell every HTML response shares. */
export function Layout({ siteName, title, lang = 'zh', children }: LayoutProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === siteName ? title : `${title} · ${siteName}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a href="/">{siteName}</a>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  )
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fdfdfc;--muted:#6e6e73;--link:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--bg:#161618;--muted:#a1a1a6;--link:#8ab4f8}}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.8 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
main,header.site{max-width:42rem;margin:0 auto;padding:0 1rem}
header.site{padding-block:1rem;font-weight:600}
a{color:var(--link)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem}
img,video,iframe{max-width:100%;height:auto}
.meta{color:var(--muted);font-size:.9rem}
ol.posts{list-style:none;padding:0}ol.posts li{margin:.75rem 0}
`
