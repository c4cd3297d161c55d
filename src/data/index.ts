/**
 * netkit/data: structured values over the network without eval — a text
 * codec (`serialize`, `deserialize`) that keeps cycles, shared references,
 * Map, Set, Date, BigInt and bytes, and a length-framed channel over a
 * TcpClient (`sendValue`, `receiveValue`) with a size limit.
 *
 * @example
 * ```ts
 * import { data } from 'netkit';
 * const copy = data.deserialize(data.serialize(new Map([[1, new Set([2n])]])));
 * ```
 */
export { serialize, deserialize, type DataLimits } from './codec.js';
export { sendValue, receiveValue } from './channel.js';
