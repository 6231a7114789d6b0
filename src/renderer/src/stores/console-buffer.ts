// An append-only, bounded log of console chunks; kept out of Vue's reactivity on purpose.

import type { ConsolePort } from '../../../shared/api';

/** Where a chunk came from: a guest port, or a note the UI wrote (shown in every view). */
export type ConsoleSource = ConsolePort | 'note';

export interface ConsoleChunk {
  port: ConsoleSource;
  data: string;
}

/** Where a reader got to: the buffer's epoch and the absolute index of the next chunk. */
export interface ConsoleCursor {
  epoch: number;
  next: number;
}

/** Characters kept per VM before the oldest chunks are dropped. */
export const DEFAULT_CONSOLE_LIMIT = 1 << 20;

/**
 * Chunks have absolute indices that never change, so a reader can ask for "everything since
 * index n". Dropping old chunks or clearing makes `read` report a restart instead.
 */
export class ConsoleBuffer {
  private chunks: ConsoleChunk[] = [];
  private first = 0;
  private chars = 0;
  private epochValue = 0;

  constructor(private readonly limit = DEFAULT_CONSOLE_LIMIT) {}

  get epoch(): number {
    return this.epochValue;
  }

  /** Total characters held. */
  get size(): number {
    return this.chars;
  }

  append(port: ConsoleSource, data: string): void {
    if (!data) return;
    this.chunks.push({ port, data });
    this.chars += data.length;
    while (this.chars > this.limit && this.chunks.length > 1) {
      const dropped = this.chunks.shift();
      this.chars -= dropped?.data.length ?? 0;
      this.first++;
    }
  }

  clear(): void {
    this.chunks = [];
    this.chars = 0;
    this.first = 0;
    this.epochValue++;
  }

  /**
   * Chunks after `cursor` and the cursor to use next time. `restart` is true when the reader
   * must discard what it showed (cleared, or it fell behind the dropped chunks).
   */
  read(cursor: ConsoleCursor | null): {
    chunks: ConsoleChunk[];
    restart: boolean;
    cursor: ConsoleCursor;
  } {
    const end = this.first + this.chunks.length;
    const restart = !cursor || cursor.epoch !== this.epochValue || cursor.next < this.first;
    const from = restart ? this.first : Math.min(cursor.next, end);
    return {
      chunks: this.chunks.slice(from - this.first),
      restart,
      cursor: { epoch: this.epochValue, next: end },
    };
  }

  /** Everything held, oldest first (for tests and copying). */
  text(port?: ConsoleSource): string {
    return this.chunks
      .filter((c) => !port || c.port === port)
      .map((c) => c.data)
      .join('');
  }
}
