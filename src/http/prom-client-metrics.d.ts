/** prom-client's default collectors, each a CommonJS module of one function (see process-metrics.ts). */
declare module 'prom-client/lib/metrics/*.js' {
  import type { Registry } from 'prom-client';
  const collect: (registry: Registry, config: object) => void;
  export default collect;
}
