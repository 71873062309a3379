/**
 * A peer's queue of published events, in order, as the frames that carry them: consecutive events
 * of one name queued before the first of them is sent form one batch, a JSON-RPC batch frame.
 *
 * @module
 */

/** Events per batch at most: a batch is sent, received and relayed as one frame. */
const MAX_BATCH_EVENTS = 512;

/**
 * Bytes per batch at most. A peer accepts no `maxFrameBytes` below it, so a batch always fits
 * whatever limit its subscribers chose; one event larger than this travels alone.
 */
export const MAX_BATCH_BYTES = 64 * 1024;

/** `", "` between two requests of a batch, and `[` `]` around them. */
const BATCH_OVERHEAD = 2;

/**
 * The queue: `add()` events as their frames, then, while not `empty`, send `first()` and `shift()`
 * it once ZeroMQ took it. A lone event is kept as its frame (a string), so publishing one event at
 * a time allocates no array. Slots of the backing array are reused, so an emptied queue keeps its
 * backing store (setting an array's length to 0 would free it, and the next event allocate it).
 */
export class OutgoingQueue {
  /** Batches (arrays of frames) and lone frames, from #runs[#head] to #runs[#end - 1]. */
  #runs: (string | string[] | undefined)[] = [];
  #head = 0;
  #end = 0;
  /** Index in #runs of the run later events of #tailName may join; -1 when none may. */
  #tail = -1;
  #tailName = "";
  #tailBytes = 0;
  #size = 0;

  /** How many events are queued: added, and not shifted yet. */
  get size(): number {
    return this.#size;
  }

  /** Whether no frame waits to be sent. */
  get empty(): boolean {
    return this.#head === this.#end;
  }

  /** Queues the event `name` as `frame`; it joins the last batch if that is of `name` and fits. */
  add(name: string, frame: string): void {
    const tail = this.#tail;
    const run = tail < 0 || this.#tailName !== name ? undefined : this.#runs[tail];
    // frames are ASCII (the encoder escapes the rest): their length is their size in bytes
    const bytes = this.#tailBytes + BATCH_OVERHEAD + frame.length;
    if (run === undefined || bytes > MAX_BATCH_BYTES) {
      this.#tail = this.#push(frame);
      this.#tailName = name;
      this.#tailBytes = BATCH_OVERHEAD + frame.length;
    } else if (typeof run === "string") {
      this.#runs[tail] = [run, frame];
      this.#tailBytes = bytes;
    } else if (run.length < MAX_BATCH_EVENTS) {
      run.push(frame);
      this.#tailBytes = bytes;
    } else {
      this.#tail = this.#push(frame);
      this.#tailBytes = BATCH_OVERHEAD + frame.length;
    }
    this.#size++;
  }

  /**
   * The frame of the oldest run, which later events no longer join: a lone event's own frame, or a
   * batch written as Python's `json.dumps` writes a list. Call only when not `empty`.
   */
  first(): string {
    const run = this.#runs[this.#head]!;
    if (this.#head === this.#tail) this.#tail = -1;
    return typeof run === "string" ? run : "[" + run.join(", ") + "]";
  }

  /** Drops the oldest run, which ZeroMQ took. */
  shift(): void {
    const run = this.#runs[this.#head]!;
    this.#runs[this.#head++] = undefined;
    this.#size -= typeof run === "string" ? 1 : run.length;
    if (this.#head === this.#end) {
      this.#head = this.#end = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#end) {
      this.#runs = this.#runs.slice(this.#head, this.#end);
      if (this.#tail >= 0) this.#tail -= this.#head;
      this.#end -= this.#head;
      this.#head = 0;
    }
  }

  /** Appends a run; returns its index. */
  #push(run: string): number {
    const at = this.#end++;
    if (at < this.#runs.length) this.#runs[at] = run;
    else this.#runs.push(run);
    return at;
  }
}
