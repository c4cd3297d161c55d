/** The prefix of the machine-readable result lines a figure process prints on stdout. */
export const MARK_PREFIX = '@@figure ';
