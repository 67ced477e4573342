import type { AddressInfo } from 'node:net';
import fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Server } from 'socket.io';
import { addAdminApi } from './admin/admin-api.js';
import type { AdminCredentials } from './admin/credentials.js';
import type { Authenticator } from './auth/authenticator.js';
import { systemClock, type Clock } from './clock.js';
import { ConnectionLimits, defaultConnectionLimits, type ConnectionLimitOptions } from './connection-limits.js';
import { BackgroundWork } from './background.js';
import { DemoGroup } from './demo-group.js';
import { createDomain } from './domain/index.js';
import { EventStream } from './events/event-stream.js';
import { FanOut } from './fan-out/fan-out.js';
import type { DemoMode } from './demo.js';
import { FileAccess } from './files/file-access.js';
import { UnsentUploadSweep } from './files/unsent-upload-sweep.js';
import { Uploads } from './files/uploads.js';
import { createCommandHandlers } from './handlers/index.js';
import { IdempotencyKeys } from './idempotency/idempotency-keys.js';
import { addDemoRoutes } from './http/demo-routes.js';
import { addErrorReplies } from './http/errors.js';
import { addFileRoutes, type FileOptions } from './http/file-routes.js';
import { addSecurityHeaders } from './http/security-headers.js';
import { addStaticFiles } from './http/static-files.js';
import { addSupportRoutes, defaultVisitorRateLimit } from './http/support-routes.js';
import { MembershipCache } from './membership.js';
import { normalizeOrigin, type AllowedOrigins } from './origin.js';
import { Presence } from './presence.js';
import { PushNotifier, type PushOptions } from './push/push-notifier.js';
import {
  defaultCatchUpRateLimit,
  defaultInviteRateLimit,
  defaultRateLimit,
  defaultSendRateLimit,
  defaultUploadRateLimit,
  KeyedRateLimit,
  type KeyedLimiter,
  type RateLimitOptions,
} from './rate-limit.js';
import type { ScaleOut } from './scale-out/redis-link.js';
import { MessageSearch } from './search/message-search.js';
import { SessionExpiry } from './session-expiry.js';
import { installSessions } from './session.js';
import type { Storage } from './storage/storage.js';
import { SupportDesk } from './support/support-desk.js';
import { defaultSupportSettings, type SupportSettings } from './support/support-settings.js';
import { Visitors } from './support/visitors.js';
import type { ImServer } from './types.js';
import type { WebhookDeliveryOptions } from './webhooks/dispatcher.js';
import { announceOfflineWithUnread } from './webhooks/offline-unread.js';
import { Webhooks } from './webhooks/webhooks.js';

export interface ServerOptions {
  /** Migrated; owned by the caller, who closes it after the server. */
  storage: Storage;
  auth: Authenticator;
  clock?: Clock;
  /** Origins allowed to connect besides the server's own; default: only its own. */
  allowedOrigins?: AllowedOrigins;
  /** Per connection; default 40 events burst, 20 per second sustained. */
  rateLimit?: RateLimitOptions;
  /** Sends and edits per user over all their connections (and processes); default 40 burst, 20 per second. */
  sendRateLimit?: RateLimitOptions;
  /** Uploads per user; default 20 burst, 1 per second. */
  uploadRateLimit?: RateLimitOptions;
  /** Open connections per user and per client address; default 20 and 500. */
  connectionLimits?: ConnectionLimitOptions;
  /**
   * Catch-up reads (`conversation:sync`, `message:history`) per connection, apart from
   * `rateLimit`; default 500 burst, 50 per second sustained.
   */
  catchUpRateLimit?: RateLimitOptions;
  /** Invite codes tried (previews and joins) per user; default 20 burst, 1 per 6 s. */
  inviteRateLimit?: RateLimitOptions;
  /** Support mode: the team's name, texts, pre-chat form, hours and agents. */
  support?: SupportSettings;
  /** New anonymous visitors per client address; default 20 burst, 1 per 30 s. */
  visitorRateLimit?: RateLimitOptions;
  /** Demo mode: seeds its users and group into storage and serves /api/demo/*. */
  demo?: DemoMode;
  /** Served at /demo/ (and / redirects there). */
  demoDir?: string;
  /** The built widget, served at /dist/ with `Access-Control-Allow-Origin: *`. */
  distDir?: string;
  /** Uploads (`POST /api/files`) and downloads; without it the server takes no files. */
  files?: FileOptions;
  /**
   * Web Push to members with no open connection; default on, to the browsers' push
   * services only (see PushOptions). `false` turns it off.
   */
  push?: PushOptions | false;
  /** The admin API's credentials (API keys, HMAC secret); without any, it is not served. */
  admin?: AdminCredentials;
  /** Retries and timeouts of webhook deliveries (see WebhookDispatcher). */
  webhookDelivery?: WebhookDeliveryOptions;
  /** Fastify's logger option (pino); default off. */
  logger?: FastifyServerOptions['logger'];
  /**
   * Several processes behind a load balancer: fan-out, presence, rate limits and
   * membership news through Redis (`connectRedis`). Owned by the caller, like storage.
   */
  scaleOut?: ScaleOut;
}

export interface ImChatServer {
  app: FastifyInstance;
  io: ImServer;
  /** Port 0 picks a free port; host defaults to every interface (the URL then says localhost). */
  listen(options: { port: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Disconnects every socket, stops timers and closes HTTP. Leaves storage open. */
  close(): Promise<void>;
}

// Big enough for any valid command (a 4000-character text escapes to ~24 KB of JSON).
const maxPacketBytes = 256 * 1024;

/**
 * The reference server, built from injected parts: storage, authentication, clock.
 *
 * @example
 * const server = createServer({ storage, auth: createJwtAuthenticator({ secret }) });
 * const { url } = await server.listen({ port: 3000 });
 */
export function createServer(options: ServerOptions): ImChatServer {
  const { storage, demo, scaleOut } = options;
  const clock = options.clock ?? systemClock;
  const allowedOrigins = normalizeAllowedOrigins(options.allowedOrigins ?? []);

  // On close, in-flight requests are cut too: a long poll would otherwise hold the
  // shutdown for its whole timeout.
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    forceCloseConnections: true,
  });
  let closing = false;
  const background = new BackgroundWork();
  const io: ImServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxPacketBytes,
    // While closing, no new session may start (clients reconnect at once when cut off).
    allowRequest: (_request, callback) =>
      closing ? callback('server_closing', false) : callback(null, true),
    // Every page may read the engine's answers (no cookies are involved), so that a page
    // whose origin is refused learns why: the origin check is the first step of the
    // socket.io handshake (see installSessions), answered as a connect_error with a code.
    cors: { origin: true },
    ...(scaleOut ? { adapter: scaleOut.adapter } : {}),
  });
  const fanOut = new FanOut(io);

  const visitors = new Visitors(storage, clock);
  // Visitors' tokens are the server's own; every other token is the host's.
  const auth = visitors.authenticator(options.auth);
  const sessions = new SessionExpiry(clock);
  const membership = new MembershipCache(storage, {
    announce: scaleOut && ((conversationId) => fanOut.membershipChanged(conversationId)),
  });
  if (scaleOut) {
    fanOut.onMembershipChanged((conversationId) => membership.invalidate(conversationId));
    scaleOut.onReconnect(({ relayLost }) => {
      membership.clear();
      // What the others relayed meanwhile never reached this process's connections, and
      // if relays of this one's were lost, the others' connections missed them: they all
      // catch up from storage (a relay cannot be replayed, a commit can be read again).
      fanOut.syncRequired(relayLost ? 'everywhere' : 'local');
    });
  }
  const logger = app.log;
  // Limits per user or address hold across processes: one person reaches several.
  const limiter = (name: string, limit: RateLimitOptions): KeyedLimiter =>
    scaleOut ? scaleOut.rateLimit(name, limit) : new KeyedRateLimit(limit, clock);
  const inviteLimit = limiter('invite', options.inviteRateLimit ?? defaultInviteRateLimit);
  const fileAccess = new FileAccess(storage, clock);
  const webhooks = new Webhooks({ storage, clock, logger, delivery: options.webhookDelivery });
  const presence = new Presence({
    fanOut,
    storage,
    clock,
    logger,
    tracker: scaleOut?.presence,
    background,
    onOffline: (userId, lastSeenAt) => announceOfflineWithUnread({ webhooks, storage }, userId, lastSeenAt),
  });
  const push = new PushNotifier({
    storage,
    presence,
    logger,
    enabled: options.push !== false,
    ...(options.push || {}),
  });
  const events = new EventStream({ background, logger });
  const support = new SupportDesk({
    fanOut,
    events,
    storage,
    presence,
    membership,
    push,
    clock,
    logger,
    settings: options.support ?? defaultSupportSettings,
    background,
  });
  // What committed is kept for the webhooks first, then goes out live, then to whoever
  // is offline (support picks whom for its conversations).
  events.subscribe(webhooks);
  events.subscribe(fanOut);
  events.subscribe(push);
  events.subscribe(support);
  const domain = createDomain({
    fanOut,
    events,
    storage,
    membership,
    clock,
    logger,
    blobs: options.files?.store,
  });
  const handlers = createCommandHandlers({
    fanOut,
    membership,
    auth,
    sessions,
    clock,
    inviteLimit,
    fileAccess,
    presence,
    push,
    search: new MessageSearch({ storage, membership }),
    messaging: domain.messaging,
    voicePlays: domain.voicePlays,
    conversations: domain.conversations,
    reads: domain.reads,
    groups: domain.groups,
    accounts: domain.accounts,
    blocks: domain.blocks,
    support,
    visitors,
  });
  installSessions(io, {
    accounts: domain.accounts,
    allowedOrigins,
    auth,
    storage,
    membership,
    sessions,
    presence,
    support,
    clock,
    logger,
    handlers,
    rateLimit: options.rateLimit ?? defaultRateLimit,
    sendLimit: limiter('send', options.sendRateLimit ?? defaultSendRateLimit),
    connectionLimits: new ConnectionLimits(options.connectionLimits ?? defaultConnectionLimits),
    fanOut,
    catchUpRateLimit: options.catchUpRateLimit ?? defaultCatchUpRateLimit,
    available: scaleOut && (() => scaleOut.available()),
    closing: () => closing,
    background,
  });

  addSecurityHeaders(app);
  addErrorReplies(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  addStaticFiles(app, options);
  if (options.files) {
    const unsentUploads = new UnsentUploadSweep(
      { storage, store: options.files.store, clock, logger },
      options.files,
    );
    app.addHook('onReady', async () => unsentUploads.start());
    app.addHook('preClose', () => unsentUploads.stop());
    addFileRoutes(app, {
      files: options.files,
      uploads: new Uploads({
        storage,
        fileAccess,
        membership,
        quota: options.files,
        requireActive: (userId) => domain.accounts.requireActive(userId),
      }),
      auth,
      membership,
      clock,
      allowedOrigins,
      requireActive: (userId) => domain.accounts.requireActive(userId),
      uploadLimit: limiter('upload', options.uploadRateLimit ?? defaultUploadRateLimit),
    });
  }
  addSupportRoutes(app, {
    visitors,
    clock,
    allowedOrigins,
    visitorLimit: options.visitorRateLimit ?? defaultVisitorRateLimit,
    limiter,
  });
  app.addHook('onReady', () => support.start());
  addAdminApi(app, {
    domain,
    webhooks,
    support,
    credentials: options.admin ?? {},
    idempotencyKeys: new IdempotencyKeys({ storage, clock }),
  });
  if (demo) {
    const demoGroup = new DemoGroup(storage, demo.users, clock, logger);
    addDemoRoutes(app, demo, demoGroup);
    app.addHook('onReady', async () => {
      for (const user of [...demo.users, ...demo.agents]) await domain.accounts.saveProfile(user);
      await support.grant(demo.agents.map((agent) => agent.id));
      await demoGroup.seed();
    });
  }

  app.addHook('onReady', () => webhooks.start());
  // Open sockets would hold the HTTP server open: end them before it closes. Commands in
  // flight finish first (their acks go out), and what the disconnections set off (last
  // seen, presence and support news) before the caller closes storage.
  app.addHook('preClose', async () => {
    closing = true;
    await background.settled();
    sessions.cancelAll();
    fanOut.endLocalSessions();
    io.engine.close();
    await background.settled();
    await webhooks.stop();
  });

  return {
    app,
    io,
    async listen({ port, host = '0.0.0.0' }) {
      await app.listen({ port, host });
      const bound = (app.server.address() as AddressInfo).port;
      // Bound to every interface: localhost is the address that surely works from here.
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
      return { url: `http://${urlHost}:${bound}/`, port: bound };
    },
    close: () => app.close(),
  };
}

function normalizeAllowedOrigins(allowed: AllowedOrigins): AllowedOrigins {
  return allowed === '*' ? '*' : allowed.map(normalizeOrigin);
}
