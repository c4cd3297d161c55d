/**
 * Peer text made safe for a terminal. Everything a server sends (headers,
 * subjects, reply lines, file names) can carry control sequences that set
 * the window title, clear the screen or rewrite earlier lines. Every `netkit`
 * path that prints peer-controlled text passes it through
 * {@link escapeControls}, which shows C0 controls (except tab, and newline
 * when asked), DEL and C1 controls as visible escapes (`\x1b`, `\x7f`,
 * `\x9b`). Printable text, including non-ASCII letters, is unchanged.
 *
 * @example
 * ```ts
 * escapeControls('Hi\x1b]0;pwned\x07'); // 'Hi\\x1b]0;pwned\\x07'
 * escapeControls('a\nb', { newlines: true }); // 'a\nb'
 * ```
 */

/** Options of {@link escapeControls}. */
export interface EscapeOptions {
  /** Keep `\n` (and `\r\n`) as line ends: for multi-line text such as a message. @default false */
  newlines?: boolean;
}

// C0 (U+0000–U+001F) except tab, DEL, C1 (U+0080–U+009F); the bidi overrides that reorder what follows.
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_KEEP_LF = /\r(?!\n)|[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as a visible escape. */
export function escapeControls(text: string, opts: EscapeOptions = {}): string {
  return text.replace(opts.newlines ? CONTROLS_KEEP_LF : CONTROLS, visible);
}
