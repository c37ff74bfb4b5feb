interface Entry<T> {
  readonly item: T;
  readonly at: number;
}

/**
 * Items ordered by when they expire: the earliest is at hand, and any item
 * leaves in O(log n) when it goes early (a binary heap that knows each
 * item's place). One timer for the earliest then serves every connection,
 * and a connection that closed holds nothing here until its expiry.
 *
 * @example queue.add(client, principal.expiresAt); for (let c = queue.takeDue(Date.now()); c; c = queue.takeDue(Date.now())) c.close('expired');
 */
export class ExpiryQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private readonly places = new Map<T, number>();

  /** Adds `item`, expiring at `at` (epoch ms); an item already here takes the new time. */
  add(item: T, at: number): void {
    this.delete(item);
    this.heap.push({ item, at });
    this.places.set(item, this.heap.length - 1);
    this.up(this.heap.length - 1);
  }

  /** Takes `item` out; false when it was not here. */
  delete(item: T): boolean {
    const place = this.places.get(item);
    if (place === undefined) return false;
    this.places.delete(item);
    const last = this.heap.pop() as Entry<T>;
    if (place < this.heap.length) {
      this.heap[place] = last;
      this.places.set(last.item, place);
      this.down(place);
      this.up(place);
    }
    return true;
  }

  /** When the earliest item expires; undefined when empty. */
  get next(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Takes out and returns the earliest item if it has expired by `now`. */
  takeDue(now: number): T | undefined {
    const first = this.heap[0];
    if (first === undefined || first.at > now) return undefined;
    this.delete(first.item);
    return first.item;
  }

  get size(): number {
    return this.heap.length;
  }

  private up(place: number): void {
    const entry = this.heap[place];
    while (place > 0) {
      const parent = (place - 1) >> 1;
      if (this.heap[parent].at <= entry.at) break;
      this.move(parent, place);
      place = parent;
    }
    this.put(entry, place);
  }

  private down(place: number): void {
    const entry = this.heap[place];
    const length = this.heap.length;
    for (;;) {
      const left = 2 * place + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.heap[right].at < this.heap[left].at ? right : left;
      if (this.heap[child].at >= entry.at) break;
      this.move(child, place);
      place = child;
    }
    this.put(entry, place);
  }

  private move(from: number, to: number): void {
    this.put(this.heap[from], to);
  }

  private put(entry: Entry<T>, place: number): void {
    this.heap[place] = entry;
    this.places.set(entry.item, place);
  }
}
