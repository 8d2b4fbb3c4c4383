import { Hono } from 'hono'
import type { AppEnv } from './env.ts'
import { imageProxy } from './image-proxy/index.ts'
import { home } from './routes/home.tsx'
import { errorPage } from './routes/pages.tsx'
import { post } from './routes/post.ts'
import { securityHeaders } from './security-headers.ts'

export const app = new Hono<AppEnv>()

app.use(securityHeaders)

app.route('/', imageProxy)
app.route('/', home)
app.route('/', post)

app.notFound((c) => errorPage(c, 404))
app.onError((err, c) => errorPage(c, 500, err.stack ?? String(err)))
