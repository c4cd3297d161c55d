/**
 * nginx for the HTTP interop suite and benchmarks: the recipe in
 * `testkit/peers/nginx.ts` (one worker, fixed test endpoints) on free ports
 * in a throwaway directory; add files under `www` as needed.
 */
export { startNginx, type Nginx, NGINX } from './peers/nginx.js';
