// Software TLB: one typed array indexed by linear page number (Intel SDM vol. 3A, 4.10 "Caching translation information").

/** Permission bits of a TLB entry; the high 20 bits hold the physical frame. */
export const TLB_READ_SUP = 0x1;
export const TLB_WRITE_SUP = 0x2;
export const TLB_READ_USER = 0x4;
export const TLB_WRITE_USER = 0x8;
/** The translation came from a global page (CR4.PGE and G): a CR3 load keeps it. */
export const TLB_GLOBAL = 0x10;

const PAGES = 1 << 20; // 4 GiB of linear space in 4 KiB pages
const TRACKED = 4096; // filled entries remembered so that a flush need not clear 4 MiB

/**
 * Linear page -> physical frame and permissions. An entry grants an access when its bit for
 * that access (read/write x supervisor/user) is set, so the fast path is one load and one test.
 * Write bits are only set once the page's dirty bit is set, so the first write still walks.
 * It is a cache: never saved, flushed on restore. Allocation-free after construction.
 */
export class Tlb {
  /** Frame | permission bits per linear page; 0 = no translation cached. */
  readonly entries = new Int32Array(PAGES);
  private readonly filled = new Int32Array(TRACKED);
  private count = 0;
  /** More than TRACKED pages were filled since the last full flush: a flush clears everything. */
  private overflow = false;

  /** Caches `frameAndBits` (frame address | TLB_* bits) for linear page `page`. */
  set(page: number, frameAndBits: number): void {
    if (this.entries[page] === 0) {
      if (this.count < TRACKED) this.filled[this.count++] = page;
      else this.overflow = true;
    }
    this.entries[page] = frameAndBits;
  }

  /** Drops the translation of linear page `page` (INVLPG). */
  invalidate(page: number): void {
    this.entries[page] = 0;
  }

  /** Drops every translation, or every non-global one when `keepGlobal` (CR3 load). */
  flush(keepGlobal: boolean): void {
    const e = this.entries;
    if (this.overflow) {
      if (keepGlobal) {
        for (let i = 0; i < PAGES; i++) if ((e[i]! & TLB_GLOBAL) === 0) e[i] = 0;
      } else {
        e.fill(0);
      }
      this.count = 0;
      this.overflow = false;
      if (keepGlobal) this.retrack();
      return;
    }
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const page = this.filled[i]!;
      if (keepGlobal && (e[page]! & TLB_GLOBAL) !== 0) this.filled[kept++] = page;
      else e[page] = 0;
    }
    this.count = kept;
  }

  /** Rebuilds the filled-page list after a full scan left only global entries. */
  private retrack(): void {
    const e = this.entries;
    for (let i = 0; i < PAGES; i++) {
      if (e[i] === 0) continue;
      if (this.count < TRACKED) this.filled[this.count++] = i;
      else this.overflow = true;
    }
  }
}
