/**
 * netkit: every module as a namespace.
 *
 * @example
 * ```ts
 * import { socket, core } from 'netkit';
 * ```
 */
export * as core from './core/index.js';
export * as socket from './socket/index.js';
export * as ltn12 from './ltn12/index.js';
export * as url from './url/index.js';
export * as mime from './mime/index.js';
export * as servers from './servers/index.js';
export * as http from './protocols/http/index.js';
export * as tp from './protocols/tp/index.js';
export * as smtp from './protocols/smtp/index.js';
export * as pop3 from './protocols/pop3/index.js';
export * as ftp from './protocols/ftp/index.js';
export * as data from './data/index.js';
