/** No remote origins: everything the renderer loads is our own bundle. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // pdf.js's worker, bundled with the app. PDFs are drawn by pdf.js onto canvases, never shown in a frame
  // (printing goes through main), so no frame may load anything.
  "worker-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the page's meta tag repeats (for the dev server and the test bridge): a meta CSP cannot carry frame-ancestors. */
export const META_CSP = CSP.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');
