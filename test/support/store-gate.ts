import { until } from './polling';
import type { TestApp } from './test-app';

interface HeldCall {
  method: string;
  args: unknown[];
  release: () => void;
}

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Holds every call to one store port of a running app until released, as a database that has not
 * answered yet would: each method of the instance the app injects is replaced, whatever its name,
 * so no caller of the port goes around the gate. The port's methods must answer promises.
 */
export class StoreGate {
  private readonly held: HeldCall[] = [];
  private released = false;

  private constructor(private readonly restore: () => void) {}

  /** Closes a gate on the app's `port` (an abstract class used as the DI token). */
  static close(app: TestApp, port: abstract new (...args: never[]) => object): StoreGate {
    const store = app.app.get<object, Record<string, unknown>>(port);
    const replaced = new Map<string, PropertyDescriptor | undefined>();
    const gate = new StoreGate(() => {
      for (const [method, own] of replaced) {
        if (own) Object.defineProperty(store, method, own);
        else delete store[method];
      }
    });
    for (const method of methodsOf(store)) {
      const original = store[method] as AnyFunction;
      replaced.set(method, Object.getOwnPropertyDescriptor(store, method));
      Object.defineProperty(store, method, {
        configurable: true,
        writable: true,
        value: async (...args: unknown[]) => {
          if (!gate.released) {
            await new Promise<void>((release) => gate.held.push({ method, args, release }));
          }
          return original.apply(store, args);
        },
      });
    }
    return gate;
  }

  /** Waits until a call with `argument` among its arguments is held; answers its method. */
  async holding(argument: unknown): Promise<string> {
    const find = () => this.held.find((call) => call.args.includes(argument));
    await until(`a call to the store with ${String(argument)} to be held`, () => !!find());
    return find()!.method;
  }

  /** Lets the held calls and every later one through, and puts the port's methods back. */
  release(): void {
    this.released = true;
    this.restore();
    for (const call of this.held.splice(0)) call.release();
  }
}

/** The names of an object's methods, its own and its classes'. */
function methodsOf(object: Record<string, unknown>): Set<string> {
  const methods = new Set<string>();
  for (let level: object | null = object; level && level !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name !== 'constructor' && typeof object[name] === 'function') methods.add(name);
    }
    level = Object.getPrototypeOf(level) as object | null;
  }
  return methods;
}
