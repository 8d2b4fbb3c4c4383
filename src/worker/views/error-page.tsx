import { Layout } from './layout.tsx'

export function ErrorPage({ siteName, status, message }: { siteName: string; status: number; message: string }) {
  return (
    <Layout siteName={siteName} title={`${status}`}>
      <h1>{status}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Home</a>
      </p>
    </Layout>
  )
}
