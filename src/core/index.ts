/** netkit/core: the error hierarchy, deadlines and the receive buffer every transport shares. */
export * from './errors.js';
export * from './deadline.js';
export * from './receive-buffer.js';
export { parsePattern, type ParsedPattern } from './receive-pattern.js';
export * from './slab.js';
export * from './wait.js';
export * from './validate.js';
export * from './bytes.js';
export * from './tls-mode.js';
export { randomHex } from './random-hex.js';
