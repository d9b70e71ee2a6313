/**
 * A value built on first use. The workflow sandbox runs every module's top-level code again for each
 * workflow, and building zod schemas there costs tens of ms: the episode's schemas are exported as
 * stand-ins that build the schema when a workflow first touches it (most wake-ups parse nothing).
 * The stand-in reads, writes and defines properties on the built value and binds its methods to it,
 * so `parse`, `safeParse`, `optional()` and composition in other schemas behave as on the schema.
 */
export function lazily<T extends object>(build: () => T): T {
  let built: T | undefined;
  const value = (): T => (built ??= build());
  const bound = new WeakMap<(...args: never[]) => unknown, unknown>();
  return new Proxy({} as T, {
    get(_, key) {
      const found: unknown = Reflect.get(value(), key);
      if (typeof found !== 'function') return found;
      const method = found as (...args: never[]) => unknown;
      if (!bound.has(method)) bound.set(method, method.bind(value()));
      return bound.get(method);
    },
    set: (_, key, newValue) => Reflect.set(value(), key, newValue),
    has: (_, key) => Reflect.has(value(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(value(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(value(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(value()),
  });
}
