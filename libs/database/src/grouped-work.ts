/**
 * Runs many small requests as a few large ones: what arrives while earlier groups are being
 * handled waits and then goes in one group, so under load a hundred lookups or writes become one
 * statement, and with a single request in flight nothing waits at all. Each caller gets its own
 * result (or the group's error).
 *
 * `handle` receives the items of a group in arrival order and must return one result per item,
 * in the same order.
 */
export class GroupedWork<Item, Result> {
  private waiting: { item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }[] =
    [];
  private running = 0;

  constructor(
    private readonly handle: (items: Item[]) => Promise<Result[]>,
    private readonly options: {
      /** Groups handled at once (each typically holds a database connection). */
      parallel: number;
      /** Items in one group at most; more wait for the next. */
      maxGroup: number;
    },
  ) {}

  run(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.parallel && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.options.maxGroup);
      this.running += 1;
      void this.settle(group).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async settle(group: GroupedWork<Item, Result>['waiting']): Promise<void> {
    try {
      const results = await this.handle(group.map((w) => w.item));
      if (results.length !== group.length) {
        throw new Error(`a group of ${group.length} got ${results.length} results`);
      }
      group.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      group.forEach((w) => w.reject(error));
    }
  }
}
