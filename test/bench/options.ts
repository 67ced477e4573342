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
  /** Interleaved rounds of the messaging and storage benchmarks: each target runs once per round. */
  rounds: number;
  /** Messages each storage-benchmark run appends (after its warm-up). */
  storageMessages: number;
  /** Appends in flight at once in the storage benchmark: one batch each. */
  storageBatches: number[];
  /** Where the target processes write `--cpu-prof` profiles, one subdirectory each; null for none. */
  cpuProfileDir: string | null;
  /** The sections to run: a part (`server`, `client`) or single sections; all when null. */
  only: ReadonlySet<BenchSection> | null;
  /** Messages in the message-list benchmark's conversation. */
  listMessages: number;
  /** Times the message-list benchmark opens each list. */
  listRuns: number;
  /** Files uploaded to each server by the upload benchmark, and their size. */
  uploadFiles: number;
  uploadMegabytes: number;
  /** Group sizes of the fan-out benchmark (connected members), and messages sent to each. */
  fanoutSizes: number[];
  fanoutSends: number;
  /** The catch-up benchmark: messages that arrive while a client is away, over conversations. */
  catchUpMessages: number;
  catchUpConversations: number;
}

export type BenchSection = 'messaging' | 'storage' | 'uploads' | 'fanout' | 'catch-up' | 'bundles' | 'list';
const parts: Record<string, readonly BenchSection[]> = {
  server: ['messaging', 'storage', 'uploads', 'fanout', 'catch-up'],
  client: ['bundles', 'list'],
  messaging: ['messaging'],
  storage: ['storage'],
  uploads: ['uploads'],
  fanout: ['fanout'],
  'catch-up': ['catch-up'],
  bundles: ['bundles'],
  list: ['list'],
};

interface NumberSetting {
  flag: string;
  env: string;
  defaultValue: number;
  min: number;
  max: number;
}

const numberSettings = {
  clients: { flag: '--clients', env: 'BENCH_CLIENTS', defaultValue: 500, min: 2, max: 2000 },
  seconds: { flag: '--seconds', env: 'BENCH_SECONDS', defaultValue: 5, min: 1, max: 120 },
  warmupSeconds: { flag: '--warmup', env: 'BENCH_WARMUP', defaultValue: 2, min: 0, max: 60 },
  window: { flag: '--window', env: 'BENCH_WINDOW', defaultValue: 1, min: 1, max: 64 },
  rounds: { flag: '--rounds', env: 'BENCH_ROUNDS', defaultValue: 3, min: 1, max: 50 },
  storageMessages: { flag: '--storage-messages', env: 'BENCH_STORAGE_MESSAGES', defaultValue: 10_000, min: 1000, max: 1_000_000 },
  listMessages: { flag: '--list-messages', env: 'BENCH_LIST_MESSAGES', defaultValue: 10_000, min: 100, max: 100_000 },
  listRuns: { flag: '--list-runs', env: 'BENCH_LIST_RUNS', defaultValue: 5, min: 1, max: 50 },
  uploadFiles: { flag: '--upload-files', env: 'BENCH_UPLOAD_FILES', defaultValue: 40, min: 1, max: 1000 },
  uploadMegabytes: { flag: '--upload-mb', env: 'BENCH_UPLOAD_MB', defaultValue: 4, min: 1, max: 20 },
  fanoutSends: { flag: '--fanout-sends', env: 'BENCH_FANOUT_SENDS', defaultValue: 5, min: 1, max: 100 },
  catchUpMessages: { flag: '--catch-up-messages', env: 'BENCH_CATCH_UP_MESSAGES', defaultValue: 1000, min: 10, max: 100_000 },
  catchUpConversations: { flag: '--catch-up-conversations', env: 'BENCH_CATCH_UP_CONVERSATIONS', defaultValue: 50, min: 1, max: 500 },
} satisfies Record<string, NumberSetting>;

const profileFlag = '--cpu-prof-dir';
const onlyFlag = '--only';
const fanoutFlag = '--fanout';
const storageBatchesFlag = '--storage-batches';
/** The largest group im-chat takes (limits.groupMembersMax). */
const fanoutMax = 10_000;

export const usage =
  'usage: npm run bench -- [--only server|client|messaging|storage|uploads|fanout|catch-up|bundles|list[,…]]\n' +
  '       [--clients N] [--seconds S] [--warmup S] [--window N] [--rounds N] [--cpu-prof-dir DIR]\n' +
  '       [--storage-messages N] [--storage-batches 50,200]\n' +
  '       [--list-messages N] [--list-runs N] [--upload-files N] [--upload-mb N]\n' +
  '       [--fanout 1000,10000] [--fanout-sends N] [--catch-up-messages N] [--catch-up-conversations N]\n' +
  '       (or BENCH_ONLY, BENCH_CLIENTS, BENCH_SECONDS, BENCH_WARMUP, BENCH_WINDOW, BENCH_ROUNDS,\n' +
  '       BENCH_STORAGE_MESSAGES, BENCH_STORAGE_BATCHES, BENCH_LIST_MESSAGES,\n' +
  '       BENCH_LIST_RUNS, BENCH_UPLOAD_FILES, BENCH_UPLOAD_MB, BENCH_FANOUT, BENCH_FANOUT_SENDS,\n' +
  '       BENCH_CATCH_UP_MESSAGES, BENCH_CATCH_UP_CONVERSATIONS)';

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

export function readOptions(args: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseFlags(args);
  const known = new Set([profileFlag, onlyFlag, fanoutFlag, storageBatchesFlag, ...Object.values(numberSettings).map((setting) => setting.flag)]);
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
    rounds: read(numberSettings.rounds),
    storageMessages: read(numberSettings.storageMessages),
    storageBatches: readBatches(flags.get(storageBatchesFlag) ?? env.BENCH_STORAGE_BATCHES),
    cpuProfileDir: flags.get(profileFlag) ?? null,
    only: readSections(flags.get(onlyFlag) ?? env.BENCH_ONLY),
    listMessages: read(numberSettings.listMessages),
    listRuns: read(numberSettings.listRuns),
    uploadFiles: read(numberSettings.uploadFiles),
    uploadMegabytes: read(numberSettings.uploadMegabytes),
    fanoutSizes: readSizes(flags.get(fanoutFlag) ?? env.BENCH_FANOUT),
    fanoutSends: read(numberSettings.fanoutSends),
    catchUpMessages: read(numberSettings.catchUpMessages),
    catchUpConversations: read(numberSettings.catchUpConversations),
  };
}

function readSections(value: string | undefined): ReadonlySet<BenchSection> | null {
  if (value === undefined || value === '') return null;
  const sections = new Set<BenchSection>();
  for (const name of value.split(',').map((part) => part.trim())) {
    const known = parts[name];
    if (!known) {
      throw new OptionsError(`${onlyFlag} (BENCH_ONLY) takes ${Object.keys(parts).join(', ')}, not "${name}"`);
    }
    for (const section of known) sections.add(section);
  }
  return sections;
}

function readSizes(value: string | undefined): number[] {
  if (value === undefined || value === '') return [1_000, 10_000];
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 2 || size > fanoutMax)) {
    throw new OptionsError(`${fanoutFlag} (BENCH_FANOUT) takes group sizes from 2 to ${fanoutMax}, like 1000,10000`);
  }
  return sizes;
}

function readBatches(value: string | undefined): number[] {
  if (value === undefined || value === '') return [50, 200];
  const batches = value.split(',').map((part) => Number(part.trim()));
  if (batches.some((batch) => !Number.isInteger(batch) || batch < 1 || batch > 1000)) {
    throw new OptionsError(`${storageBatchesFlag} (BENCH_STORAGE_BATCHES) takes batch sizes from 1 to 1000, like 50,200`);
  }
  return batches;
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
