/** How much one user may keep in uploads, so that no account can fill the server's disk. */
import { allow, refuse, type Decision } from '../decision.js';
import type { UploadUsage } from './records.js';

export interface UploadQuotaOptions {
  /** Bytes one user's uploads may take up in all; default 1 GiB. */
  quotaBytes?: number;
  /**
   * Bytes of one user's uploads that no message carries yet; default 100 MiB. Uploading
   * without sending was the cheap way to fill a disk: sent files at least show up.
   */
  unsentMaxBytes?: number;
}

export const defaultUploadQuota: Required<UploadQuotaOptions> = {
  quotaBytes: 1024 ** 3,
  unsentMaxBytes: 100 * 1024 ** 2,
};

/**
 * Refuses an upload of `incomingBytes` that would take its uploader past a quota, with
 * `quota_exceeded`. Checked before the bytes are read (with the announced length) and
 * again with the real size before the record is stored; two uploads of one user at the
 * very same time may both pass, which the upload rate limit keeps to a few files.
 */
export function decideUploadRoom(usage: UploadUsage, options: UploadQuotaOptions, incomingBytes: number): Decision<never> {
  const { quotaBytes, unsentMaxBytes } = { ...defaultUploadQuota, ...options };
  if (usage.bytes + incomingBytes > quotaBytes) {
    return refuse(
      'quota_exceeded',
      `uploads may take up ${mib(quotaBytes)} per user and yours take up ${mib(usage.bytes)}: ` +
        'this file does not fit',
    );
  }
  if (usage.unsentBytes + incomingBytes > unsentMaxBytes) {
    return refuse(
      'quota_exceeded',
      `at most ${mib(unsentMaxBytes)} of uploads may wait to be sent per user and yours take up ` +
        `${mib(usage.unsentBytes)}: send them first (unsent uploads are deleted after a while)`,
    );
  }
  return allow([]);
}

function mib(bytes: number): string {
  return bytes < 1024 ** 2 ? `${bytes} bytes` : `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
}
