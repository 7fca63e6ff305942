/**
 * Where the build puts the bundles, relative to the main bundle's folder (`out/main`). The build config
 * names the preload file from this constant too, so main always loads the file the build writes.
 */
export const PRELOAD_BUNDLE = 'preload.js';
export const PRELOAD_DIR = '../preload';
export const RENDERER_DIR = '../renderer';
