import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout, one object a line. */
export function createLogger(level: string, name: string): Logger {
  return pino({ level, name, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
