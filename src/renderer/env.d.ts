/// <reference types="vite/client" />

interface Window {
  api: { invoke(channel: string, input: unknown): Promise<unknown> };
}
