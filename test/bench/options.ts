/** What one `npm run bench` measures: CLI flags win over BENCH_* variables, which win over defaults. */
export interface BenchOptions {
  /** Connected clients, in pairs: each client chats with one peer. */
  clients: number;
  /** Length of the measured phase. */
  seconds: number;
  /** Closed-loop sending before the measured phase, not counted. */
  warmupSeconds: number;
  /** Messages each client keeps in flight (sent, not yet acknowledged). */
  window: number;
  /** Where the target processes write `--cpu-prof` profiles, one subdirectory each; null for none. */
  cpuProfileDir: string | null;
}

interface NumberSetting {
  flag: string;
  env: string;
  defaultValue: number;
  min: number;
  max: number;
}

const numberSettings = {
  clients: { flag: '--clients', env: 'BENCH_CLIENTS', defaultValue: 500, min: 2, max: 2000 },
  seconds: { flag: '--seconds', env: 'BENCH_SECONDS', defaultValue: 10, min: 1, max: 120 },
  warmupSeconds: { flag: '--warmup', env: 'BENCH_WARMUP', defaultValue: 3, min: 0, max: 60 },
  window: { flag: '--window', env: 'BENCH_WINDOW', defaultValue: 1, min: 1, max: 64 },
} satisfies Record<string, NumberSetting>;

const profileFlag = '--cpu-prof-dir';

export const usage =
  'usage: npm run bench -- [--clients N] [--seconds S] [--warmup S] [--window N] [--cpu-prof-dir DIR]\n' +
  '       (or BENCH_CLIENTS, BENCH_SECONDS, BENCH_WARMUP, BENCH_WINDOW)';

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

export function readOptions(args: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseFlags(args);
  const known = new Set([profileFlag, ...Object.values(numberSettings).map((setting) => setting.flag)]);
  for (const flag of flags.keys()) {
    if (!known.has(flag)) throw new OptionsError(`unknown option ${flag}`);
  }
  const read = (setting: NumberSetting) => readNumber(setting, flags.get(setting.flag) ?? env[setting.env]);
  const clients = read(numberSettings.clients);
  if (clients % 2 !== 0) {
    throw new OptionsError(`--clients must be even (clients chat in pairs), not ${clients}`);
  }
  return {
    clients,
    seconds: read(numberSettings.seconds),
    warmupSeconds: read(numberSettings.warmupSeconds),
    window: read(numberSettings.window),
    cpuProfileDir: flags.get(profileFlag) ?? null,
  };
}

/** `--name value` and `--name=value`. */
function parseFlags(args: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (!arg.startsWith('--')) throw new OptionsError(`unexpected argument ${arg}`);
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const value = equals === -1 ? args[++index] : arg.slice(equals + 1);
    if (value === undefined) throw new OptionsError(`${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}

function readNumber(setting: NumberSetting, value: string | undefined): number {
  if (value === undefined || value === '') return setting.defaultValue;
  const number = Number(value);
  if (!Number.isInteger(number) || number < setting.min || number > setting.max) {
    throw new OptionsError(
      `${setting.flag} (${setting.env}) must be a whole number ` +
        `from ${setting.min} to ${setting.max}, not "${value}"`,
    );
  }
  return number;
}
