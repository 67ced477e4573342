import { SignJWT } from 'jose';

export interface TokenClaims {
  sub?: string;
  name?: unknown;
  avatar?: unknown;
  /** Seconds since epoch; default: one hour from now. */
  exp?: number;
  nbf?: number;
  iss?: string;
  aud?: string;
}

/** An HS256 token as a host site's backend would sign it. */
export function mintToken(secret: Uint8Array, claims: TokenClaims): Promise<string> {
  const { sub, name, avatar, exp, nbf, iss, aud } = claims;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    ...(name !== undefined ? { name } : {}),
    ...(avatar !== undefined ? { avatar } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(exp ?? now + 3600);
  if (sub !== undefined) jwt.setSubject(sub);
  if (nbf !== undefined) jwt.setNotBefore(nbf);
  if (iss !== undefined) jwt.setIssuer(iss);
  if (aud !== undefined) jwt.setAudience(aud);
  return jwt.sign(secret);
}
