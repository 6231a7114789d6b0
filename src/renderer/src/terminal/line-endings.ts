// Serial output uses bare LF more often than not; a terminal needs CR LF to start a new line.

/** Converts lone "\n" to "\r\n", remembering across chunks whether a "\r" came last. */
export class LineEndingConverter {
  private lastWasCR = false;

  convert(data: string): string {
    if (!data) return data;
    // A "\n" right after a chunk that ended in "\r" already has its CR.
    const head = this.lastWasCR && data[0] === '\n' ? '\n' : '';
    const out = head + data.slice(head.length).replace(/\r?\n/g, '\r\n');
    this.lastWasCR = data.endsWith('\r');
    return out;
  }

  reset(): void {
    this.lastWasCR = false;
  }
}
