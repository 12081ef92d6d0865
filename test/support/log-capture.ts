import { Writable } from 'node:stream';

/** A log destination that keeps what is written, for tests that read the log. */
export class LogCapture extends Writable {
  private text = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }

  /** Everything written so far. */
  get all(): string {
    return this.text;
  }

  /** The JSON lines written so far, parsed. */
  records(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
