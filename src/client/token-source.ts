import { ChatError, LocalErrorCode } from './errors.js';
import { readTokenClaims, type TokenClaims, type TokenProvider } from './token.js';

/** Ask for a new token this long before the current one expires. */
const refreshLeadMs = 60_000;
const minimumRefreshDelayMs = 5_000;

export interface TokenSourceOptions {
  token?: string | undefined;
  provider?: TokenProvider | undefined;
  /** A refresh before expiry brought a new token. */
  onRefreshed: (claims: TokenClaims) => void;
  /** Whether fetching should go on (false once the client has stopped). */
  active: () => boolean;
  /** A fetch attempt failed; `attempt` counts from 0. */
  onFailure: (error: ChatError, attempt: number) => void;
}

/**
 * Where the client's token comes from: one the host gave, and the host's provider for
 * the first one and for fresh ones before expiry (or after a refusal).
 */
export class TokenSource {
  #token: string | null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: TokenSourceOptions) {
    this.#token = options.token ?? null;
  }

  get current(): string | null {
    return this.#token;
  }

  /** A provider can give another token. */
  get renewable(): boolean {
    return !!this.options.provider;
  }

  /** Takes a token from the host; throws a ChatError when it is not a readable JWT. */
  adopt(token: string): TokenClaims {
    let claims: TokenClaims;
    try {
      claims = readTokenClaims(token);
    } catch (error) {
      throw new ChatError(LocalErrorCode.TokenUnavailable, (error as Error).message);
    }
    this.#token = token;
    this.#schedule(claims.expiresAt);
    return claims;
  }

  /**
   * Asks the provider for a token, retrying with backoff while it fails (the host may be
   * offline too). Null when there is no provider or the client stopped meanwhile; a
   * ChatError when the provider gave something that is not a JWT.
   */
  async fetch(): Promise<TokenClaims | null> {
    const { provider } = this.options;
    if (!provider) return null;
    for (let attempt = 0; this.options.active(); attempt++) {
      let token: string;
      try {
        token = await provider();
      } catch (error) {
        const reason = (error as Error)?.message ?? String(error);
        this.options.onFailure(
          new ChatError(LocalErrorCode.TokenUnavailable, `The token provider failed: ${reason}`),
          attempt,
        );
        await delay(Math.min(1_000 * 2 ** attempt, 30_000));
        continue;
      }
      return this.adopt(token);
    }
    return null;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #schedule(expiresAt: number | null): void {
    clearTimeout(this.#timer);
    if (expiresAt === null || !this.options.provider) return;
    const wait = Math.max(expiresAt - Date.now() - refreshLeadMs, minimumRefreshDelayMs);
    this.#timer = setTimeout(async () => {
      try {
        const claims = await this.fetch();
        if (claims) this.options.onRefreshed(claims);
      } catch (error) {
        if (error instanceof ChatError) this.options.onFailure(error, 0);
      }
    }, wait);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
