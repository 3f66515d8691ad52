import { ScrapeSource } from './scrape-source';

describe('ScrapeSource', () => {
  it('reads once for the gauges of one scrape, and again for the next', async () => {
    const source = new ScrapeSource<number>(1000);
    let reads = 0;
    source.use(() => Promise.resolve(++reads));
    expect(await source.get(0)).toBe(1);
    expect(await source.get(500)).toBe(1);
    expect(await source.get(1500)).toBe(2);
  });

  it('gives undefined without a source, when the source fails and when it hangs', async () => {
    const source = new ScrapeSource<number>(0, 20);
    expect(await source.get()).toBeUndefined();
    source.use(() => Promise.reject(new Error('database away')));
    expect(await source.get()).toBeUndefined();
    source.use(() => new Promise<number>(() => undefined));
    expect(await source.get()).toBeUndefined();
  });
});
