import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ErrorCode, type ProtocolError } from '../../protocol/index.js';
import { LocalErrorCode } from '../../client/index.js';

/** `im-error` codes of an element that cannot sign in as the page set it up. */
export const SetupErrorCode = {
  /** No `server` attribute. */
  NoServer: 'no_server',
  /** Messenger or inbox without a `token` or a `tokenProvider`. */
  NoToken: 'no_token',
  /** `tokenProvider` is not a function (e.g. given as the `token-provider` attribute). */
  TokenProviderNotFunction: 'token_provider_not_function',
} as const;

export type SetupErrorCode = (typeof SetupErrorCode)[keyof typeof SetupErrorCode];

export interface SetupProblem {
  code: SetupErrorCode;
  message: string;
  /** A mistake as such (reported at once), rather than something that may still arrive. */
  definite: boolean;
}

export interface SetupCheckOptions {
  /** What stops the element from signing in now, or null. */
  problem: () => SetupProblem | null;
  /** Dispatches `im-error`. */
  onProblem: (code: string, message: string) => void;
}

/**
 * Missing credentials may still be on their way (a module script or a framework sets
 * `tokenProvider` after the element is in the page; a backend call brings the token):
 * they are reported only if still missing this long after the document is ready.
 */
export const missingCredentialsGraceMs = 2_000;

/**
 * Says, once, what the page must set when the element cannot sign in: as `im-error` for
 * the page's code, and as one console warning for the person embedding it.
 */
export class SetupCheck implements ReactiveController {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reported = new Set<string>();
  /** Credentials came once: their absence later is a sign-out, not a mistake. */
  #satisfied = false;
  #waiting = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: SetupCheckOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#waiting = true;
    const start = () => {
      if (!this.#waiting) return;
      // A task later: the page's own scripts (module ones included) have run by then.
      this.#timer = setTimeout(() => this.#check(true), 0);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
  }

  hostDisconnected(): void {
    this.#waiting = false;
    clearTimeout(this.#timer);
  }

  hostUpdated(): void {
    const problem = this.options.problem();
    if (!problem) this.#satisfied = true;
  }

  /** Reports a refusal of the credentials with what to change; other errors pass silently. */
  refused(error: Pick<ProtocolError, 'message'> & { code: string }): void {
    const hint = refusalHint(error.code);
    if (hint) this.#warn(error.code, `${error.message} — ${hint}`);
  }

  #check(first: boolean): void {
    const problem = this.options.problem();
    if (!problem || this.#satisfied) return;
    if (problem.definite || !first) {
      this.#warn(problem.code, problem.message);
      this.options.onProblem(problem.code, problem.message);
      return;
    }
    this.#timer = setTimeout(() => this.#check(false), missingCredentialsGraceMs);
  }

  #warn(code: string, message: string): void {
    if (this.#reported.has(code)) return;
    this.#reported.add(code);
    console.warn(`im-chat: ${message}`);
  }
}

/** What to change when the server (or the token itself) refuses the credentials. */
function refusalHint(code: string): string | null {
  switch (code) {
    case ErrorCode.Unauthenticated:
      return 'the server refused the token: sign it with the secret or key the server checks, with `sub` set';
    case ErrorCode.TokenExpired:
      return 'set the `tokenProvider` property so that the widget can get fresh tokens, or give a new `token`';
    case ErrorCode.OriginNotAllowed:
      return `add this page's origin (${location.origin}) to the server's IM_CORS_ORIGINS`;
    case ErrorCode.UserBlocked:
      return 'the host blocked this user';
    case ErrorCode.UserDeleted:
      return 'this user was deleted and cannot sign in again';
    case LocalErrorCode.TokenUnavailable:
      return '`token` must be a JWT, and `tokenProvider` must resolve to one';
    default:
      return null;
  }
}

/** What stops an element with these settings from signing in, or null. */
export function setupProblem(element: {
  server: string;
  token: string;
  tokenProvider: unknown;
  mode: string;
  tokenProviderAttribute: string | null;
}): SetupProblem | null {
  const { server, token, tokenProvider, mode, tokenProviderAttribute } = element;
  if ((tokenProvider !== undefined && typeof tokenProvider !== 'function') || (tokenProviderAttribute !== null && !tokenProvider)) {
    return {
      code: SetupErrorCode.TokenProviderNotFunction,
      message:
        'tokenProvider must be a function, set as a property (an attribute can only carry a string): ' +
        'element.tokenProvider = async () => token (in Vue: .tokenProvider="fn")',
      definite: true,
    };
  }
  if (!server) {
    return { code: SetupErrorCode.NoServer, message: 'no server — set the `server` attribute to the im-chat server\'s URL', definite: false };
  }
  if (mode !== 'support' && !token && !tokenProvider) {
    return {
      code: SetupErrorCode.NoToken,
      message: 'no token — set the `token` attribute or the `tokenProvider` property',
      definite: false,
    };
  }
  return null;
}
