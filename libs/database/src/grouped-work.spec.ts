import { GroupedWork } from './grouped-work';

/** A handler whose groups finish when the test says so. */
function controlledHandler() {
  const groups: { items: number[]; finish: (fail?: Error) => void }[] = [];
  const handle = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      groups.push({
        items,
        finish: (fail) => (fail ? reject(fail) : resolve(items.map((n) => `#${n}`))),
      });
    });
  return { groups, handle };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupedWork', () => {
  it('handles a lone item at once, in a group of its own', async () => {
    const { groups, handle } = controlledHandler();
    const work = new GroupedWork(handle, { parallel: 1, maxGroup: 10 });
    const answer = work.run(1);
    expect(groups.map((g) => g.items)).toEqual([[1]]);
    groups[0].finish();
    await expect(answer).resolves.toBe('#1');
  });

  it('groups what arrives while a group is running, and answers each caller with its own result', async () => {
    const { groups, handle } = controlledHandler();
    const work = new GroupedWork(handle, { parallel: 1, maxGroup: 10 });
    const first = work.run(1);
    const later = [2, 3, 4].map((n) => work.run(n));
    expect(groups).toHaveLength(1);
    groups[0].finish();
    await first;
    await tick();
    expect(groups.map((g) => g.items)).toEqual([[1], [2, 3, 4]]);
    groups[1].finish();
    await expect(Promise.all(later)).resolves.toEqual(['#2', '#3', '#4']);
  });

  it('runs up to `parallel` groups at once and never more than `maxGroup` items in one', async () => {
    const { groups, handle } = controlledHandler();
    const work = new GroupedWork(handle, { parallel: 2, maxGroup: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((n) => work.run(n));
    expect(groups.map((g) => g.items)).toEqual([[1], [2]]);
    groups[0].finish();
    await tick();
    expect(groups.map((g) => g.items)).toEqual([[1], [2], [3, 4]]);
    groups[1].finish();
    groups[2].finish();
    await tick();
    expect(groups.map((g) => g.items)).toEqual([[1], [2], [3, 4], [5, 6]]);
    groups[3].finish();
    await expect(Promise.all(all)).resolves.toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);
  });

  it('rejects every caller of a failed group, and goes on with the next group', async () => {
    const { groups, handle } = controlledHandler();
    const work = new GroupedWork(handle, { parallel: 1, maxGroup: 10 });
    const first = work.run(1);
    const second = [2, 3].map((n) => work.run(n));
    groups[0].finish(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    groups[1].finish();
    await expect(Promise.all(second)).resolves.toEqual(['#2', '#3']);
  });

  it('rejects a group whose handler returns the wrong number of results', async () => {
    const work = new GroupedWork((items: number[]) => Promise.resolve(items.slice(1)), {
      parallel: 1,
      maxGroup: 10,
    });
    await expect(work.run(1)).rejects.toThrow('a group of 1 got 0 results');
  });
});
