/**
 * `blockRemote`: rewrites the remote URLs of a mail's HTML (in `src`,
 * `href`, `srcset`, `background`, `poster`, `action`, `data` attributes,
 * CSS `url()`, `@import`, and a refresh's `url=`) to `#blocked:`, so a
 * browser does not even open a connection to them. The page's
 * Content-Security-Policy is what forbids the loads; this rewrite stops the
 * speculative connections (Chromium's preconnect of URLs its preload scanner
 * sees) that would still tell a sender the mail was opened.
 *
 * @example
 * ```ts
 * assert.equal(blockRemote('<img src="https://t.example/p.gif">'), '<img src="#blocked:t.example/p.gif">');
 * ```
 */

const ATTR = /(\s(?:src|href|srcset|background|poster|action|formaction|data|xlink:href)\s*=\s*["']?\s*)(?:https?:)?\/\//gi;
const CSS_URL = /(url\(\s*["']?\s*|@import\s+["']?\s*|url\s*=\s*["']?\s*)(?:https?:)?\/\//gi;
const SRCSET_MORE = /(,\s*)(?:https?:)?\/\/(?=[^\s,"'>]+\s+\d)/gi;

/** The HTML with its remote URLs made inert; see the module doc. */
export function blockRemote(html: string): string {
  return html.replace(ATTR, '$1#blocked:').replace(CSS_URL, '$1#blocked:').replace(SRCSET_MORE, '$1#blocked:');
}
