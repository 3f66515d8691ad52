import { differingScopes, toScopeSummaries } from './reconciliation';

describe('reconciliation: comparing summaries', () => {
  const producer = [
    { scope: 'e1', count: 200, total: 230 },
    { scope: 'e2', count: 10, total: 10 },
    { scope: 'e3', count: 5, total: 9 },
  ];

  it('finds nothing when the consumer holds the same', () => {
    expect(differingScopes(producer, producer, 'count+total')).toEqual([]);
  });

  it('finds a scope the consumer holds fewer of, or older revisions of', () => {
    const consumer = [
      { scope: 'e1', count: 199, total: 229 }, // one missing
      { scope: 'e2', count: 10, total: 10 },
      { scope: 'e3', count: 5, total: 7 }, // two updates missed
    ];
    expect(differingScopes(producer, consumer, 'count+total').map((d) => d.scope)).toEqual([
      'e1',
      'e3',
    ]);
  });

  it('counts a scope the consumer does not hold at all as empty', () => {
    const [missing] = differingScopes(producer, producer.slice(0, 2), 'count+total');
    expect(missing).toEqual({
      scope: 'e3',
      producer: producer[2],
      consumer: { scope: 'e3', count: 0, total: 0 },
    });
  });

  it('compares only the count for a consumer that receives some revisions only', () => {
    const consumer = producer.map((s) => ({ ...s, total: s.total - 1 }));
    expect(differingScopes(producer, consumer, 'count')).toEqual([]);
    expect(differingScopes(producer, consumer, 'count+total')).toHaveLength(3);
  });

  it('reads bigint sums as numbers, and no rows as zero', () => {
    expect(toScopeSummaries([{ scope: 'e1', count: '3', total: '12' }])).toEqual([
      { scope: 'e1', count: 3, total: 12 },
    ]);
    expect(toScopeSummaries([{ scope: '*', count: '0', total: null }])).toEqual([
      { scope: '*', count: 0, total: 0 },
    ]);
  });
});

describe('reconciliation: a consumer ahead of the summary', () => {
  it('is not behind when it already took messages sent after the producer counted', () => {
    const producer = [{ scope: 'e1', count: 200, total: 230 }];
    const ahead = [{ scope: 'e1', count: 201, total: 233 }];
    expect(differingScopes(producer, ahead, 'count+total')).toEqual([]);
    expect(
      differingScopes(producer, [{ scope: 'e1', count: 201, total: 229 }], 'count+total'),
    ).toHaveLength(1);
  });
});
