/**
 * When the write-ahead log is copied back into the database file. SQLite's default, a
 * checkpoint every 1,000 pages (4 MB), made COMMIT the larger half of an append's cost:
 * the same hot pages (the conversation's row, the indexes' right edges, the search
 * index's segments) were written to the file again after every few batches. Under load
 * the log now grows to `walCheckpointPages` before the commit that passes it checkpoints
 * (passively: it never waits for readers). When writes pause for `idleCheckpointMs`, the
 * log is checkpointed and truncated to nothing, so an idle database is one file on disk.
 * A reader that holds the log back lets it grow past that; once the log restarts it is
 * cut back to `walSizeLimitBytes`.
 */
import Database from 'better-sqlite3';

/** About 40 MB of log (4 KB pages) between checkpoints under load. */
export const walCheckpointPages = 10_000;
/** What a log left larger by a long read is cut back to when it restarts. */
export const walSizeLimitBytes = 48 * 1024 * 1024;
/** Writes that stop for this long (up to twice this) are followed by a checkpoint. */
export const idleCheckpointMs = 1_000;

/** Sets the checkpoint policy on a connection that writes; the returned function stops it. */
export function manageCheckpoints(db: Database.Database): () => void {
  db.pragma(`wal_autocheckpoint = ${walCheckpointPages}`);
  db.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  let seen = changes.get()!;
  let checkpointed = seen;
  const timer = setInterval(() => {
    if (!db.open) return;
    const now = changes.get()!;
    // Still writing, or nothing written since the last checkpoint.
    if (now !== seen || now === checkpointed) {
      seen = now;
      return;
    }
    if (truncateLog(db)) checkpointed = now;
  }, idleCheckpointMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Checkpoints the whole log and truncates it, without waiting for anyone: a reader or a
 * writer in the way leaves it for the next pause. Answers whether it was done.
 */
function truncateLog(db: Database.Database): boolean {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result?.busy === 0;
  } catch (error) {
    // Busy, or the disk refused: the log stays as it is until the next pause, and a
    // write that meets the same disk reports it.
    if (error instanceof Database.SqliteError) return false;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
