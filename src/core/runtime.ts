/**
 * What `src/core` receives instead of reading the environment: a clock, a sleep, a logger.
 * Entry points build real ones; tests inject fakes so retries and deadlines run instantly.
 */

export interface Clock {
  now(): Date;
}

export type Sleep = (ms: number) => Promise<void>;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export const systemClock: Clock = { now: () => new Date() };

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** A logger that records lines; used by tests and by the drill's report. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info: ${m}`),
    warn: (m) => void lines.push(`warn: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
    debug: (m) => void lines.push(`debug: ${m}`),
  };
}

/** A clock tests can move; `sleep` advances it instead of waiting. */
export function manualClock(start: Date | string): Clock & { advance(ms: number): void; set(d: Date | string): void; sleep: Sleep } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = new Date(d).getTime();
    },
    sleep: async (ms) => {
      t += ms;
    },
  };
}
