import { execFile } from 'node:child_process';
import { SignJWT } from 'jose';

export interface TokenRequest {
  sub: string;
  name: string;
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn: number;
}

/** Where the suite gets tokens for its users from the server under test. */
export interface TokenSource {
  mint(request: TokenRequest): Promise<string>;
  /** A token the server must refuse as not its own (signed with another key). */
  forged(sub: string): Promise<string>;
}

/** HS256 tokens signed with the secret the server under test verifies with. */
export function secretTokens(secret: string | Uint8Array, claims: { issuer?: string; audience?: string } = {}): TokenSource {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  const sign = (key: Uint8Array, { sub, name, expiresIn }: TokenRequest) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ name }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now).setExpirationTime(now + expiresIn);
    if (claims.issuer) jwt.setIssuer(claims.issuer);
    if (claims.audience) jwt.setAudience(claims.audience);
    return jwt.sign(key);
  };
  return {
    mint: (request) => sign(key, request),
    forged: (sub) => sign(key.map((byte) => byte ^ 0xff), { sub, name: sub, expiresIn: 600 }),
  };
}

/**
 * Tokens from a command of the operator's (e.g. their backend's signing script), run
 * with IM_SUB, IM_NAME and IM_EXP (unix seconds) in its environment; it prints the token.
 */
export function commandTokens(command: string): TokenSource {
  const mint = ({ sub, name, expiresIn }: TokenRequest) =>
    new Promise<string>((resolve, reject) => {
      const env = { ...process.env, IM_SUB: sub, IM_NAME: name, IM_EXP: String(Math.floor(Date.now() / 1000) + expiresIn) };
      execFile('/bin/sh', ['-c', command], { env, timeout: 10_000 }, (error, stdout) => {
        if (error) reject(new Error(`the token command failed: ${error.message}`));
        else resolve(stdout.trim());
      });
    });
  return {
    mint,
    async forged(sub) {
      // The same token with its signature's first characters changed.
      const [header, payload, signature = ''] = (await mint({ sub, name: sub, expiresIn: 600 })).split('.');
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      return `${header}.${payload}.${flipped}`;
    },
  };
}
