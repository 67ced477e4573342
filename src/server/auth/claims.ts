import type { JWTPayload } from 'jose';
import type { User } from '../../protocol/index.js';
import { DisplayName, HttpUrl, Id } from '../../protocol/schemas.js';
import { limits } from '../../protocol/limits.js';
import { CommandError } from '../errors.js';

/**
 * The profile a token carries. `sub` is required and must be a protocol Id; a missing or
 * unusable `name` falls back to the id and an unusable `avatar` to none, because the
 * host's profile data should not lock a user out.
 */
export function userFromClaims(claims: JWTPayload): User {
  const id = Id.safeParse(claims.sub);
  if (!id.success) {
    throw new CommandError('unauthenticated', 'the token has no valid "sub" claim');
  }
  const name = DisplayName.safeParse(claims['name']);
  const avatar = HttpUrl.safeParse(claims['avatar']);
  return {
    id: id.data,
    name: name.success ? name.data : id.data.slice(0, limits.nameLength),
    avatar: avatar.success ? avatar.data : null,
  };
}
