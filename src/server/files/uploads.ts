/**
 * Uploads and downloads as `/api/files` carries them out: the command API over the files
 * area of storage, with who may store a file (quota) and who may read one.
 */
import { CommandError } from '../errors.js';
import { settle } from '../decision.js';
import type { MembershipCache } from '../membership.js';
import type { Storage } from '../storage/storage.js';
import type { FileAccess } from './file-access.js';
import type { FileRecord } from './records.js';
import { decideUploadRoom, type UploadQuotaOptions } from './upload-quota.js';

export interface UploadsDeps {
  storage: Pick<Storage, 'files'>;
  fileAccess: FileAccess;
  membership: MembershipCache;
  quota: UploadQuotaOptions;
  /** Refuses a blocked or deleted account: a still-valid token or file URL must not outlive a block. */
  requireActive(userId: string): Promise<void>;
}

export class Uploads {
  constructor(private readonly deps: UploadsDeps) {}

  /** `quota_exceeded` when `incomingBytes` more would not fit the user's quotas. */
  async requireRoom(userId: string, incomingBytes: number): Promise<void> {
    settle(decideUploadRoom(await this.deps.storage.files.read.usage(userId), this.deps.quota, incomingBytes));
  }

  /** `not_found` when the conversation or the uploader does not exist. */
  store(record: FileRecord): Promise<void> {
    return this.deps.storage.files.write.add(record);
  }

  /**
   * The file and the grant of the access token it was asked with, for someone who is still
   * a member of its conversation and may sign in. An unknown file, a bad or expired token
   * and a former member all get the same `not_found`.
   */
  async readable(id: string, access: string): Promise<{ record: FileRecord; grant: { userId: string; expiresAt: number } }> {
    const { storage, fileAccess, membership } = this.deps;
    const record = await storage.files.read.get(id);
    const grant = record && (await fileAccess.verify(access, record.conversationId));
    const member = grant && (await membership.get(record.conversationId))?.members.has(grant.userId);
    if (!record || !grant || !member) throw new CommandError('not_found', 'no such file');
    await this.deps.requireActive(grant.userId);
    return { record, grant };
  }
}
