/**
 * LuaSocket's `socket._VERSION`: the LuaSocket release whose socket
 * semantics this module follows (patterns, prefixes, timeouts, options), so
 * code ported from Lua that checks the version finds what it expects.
 *
 * @example
 * ```ts
 * import { socket } from 'netkit';
 * socket._VERSION; // 'LuaSocket 3.1.0 (netkit)'
 * ```
 */
export const _VERSION = 'LuaSocket 3.1.0 (netkit)';
/** The LuaSocket release followed, alone: `'3.1.0'`. */
export const LUASOCKET_VERSION = '3.1.0';
